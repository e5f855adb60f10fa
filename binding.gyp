{
  "targets": [
    {
      "target_name": "walker",
      "sources": [
        "src/backup/adapters/native-walker/walker.c",
        "src/backup/adapters/native-walker/listing.c",
        "src/backup/adapters/native-walker/tree-reader.c",
        "src/backup/adapters/native-walker/tree-taker.c",
        "src/backup/adapters/native-walker/tree-reader-napi.c",
        "src/backup/adapters/native-walker/access-facts.c",
        "src/backup/adapters/native-walker/batch-scheduling.c",
        "src/backup/adapters/native-walker/wide-pipe.c",
        "src/backup/adapters/native-walker/link-targets.c",
        "src/backup/adapters/native-walker/sha256-later.c",
        "src/backup/adapters/native-walker/rpm-spans.c",
        "src/backup/adapters/native-walker/map-file.c",
        "src/backup/adapters/native-walker/dpkg-info.c",
        "src/backup/adapters/native-walker/dpkg-info-napi.c",
        "src/backup/adapters/native-walker/dpkg-lines.c",
        "src/backup/adapters/native-walker/dpkg-md5.c",
        "src/backup/adapters/native-walker/dpkg-parts.c",
        "src/backup/adapters/native-walker/dpkg-reader.c",
        "src/backup/adapters/native-walker/dpkg-status.c"
      ],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    },
    {
      "target_name": "digest",
      "sources": ["src/backup/adapters/native-walker/digest.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    }
  ]
}
