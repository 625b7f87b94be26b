// Starts GOV.UK Frontend's components (error summary focus, details, tabs, character counts…).
import { initAll } from "../build/govuk/govuk-frontend.min.js";

initAll();
