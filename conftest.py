# Keep pytest's collection to the tests, the package's docstrings and the built notebooks.
collect_ignore = ["danmark/__main__.py"]
collect_ignore_glob = ["notebooks/src/*", "benchmarks/*", "tools/*", "build/*", "html/*"]
