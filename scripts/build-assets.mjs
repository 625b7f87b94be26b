// Builds the interface's assets from the pinned govuk-frontend package:
// our Sass (GOV.UK Frontend with a system font stack) to CSS, plus its
// JavaScript and images. Output goes to monitoring/static/build/, which
// git ignores; nothing third-party is committed.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const out = join(root, "monitoring", "static", "build");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "govuk"), { recursive: true });

const css = sass.compile(join(root, "assets", "scss", "app.scss"), {
  loadPaths: [join(root, "node_modules")],
  quietDeps: true,
  style: "compressed",
});
writeFileSync(join(out, "app.css"), css.css);

cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk", "govuk-frontend.min.js"));
// The package's images (crown favicons, GOV.UK logos) are deliberately not copied: this is a council's tool.
console.log(`assets built in ${out}`);
