{
  "targets": [
    {
      "target_name": "walker",
      "sources": ["native/walker.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    }
  ]
}
