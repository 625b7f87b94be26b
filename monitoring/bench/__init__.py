"""`make bench`: baseline routes, a generated large data set, and the load-test runner."""
