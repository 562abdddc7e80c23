{
  "targets": [
    {
      "target_name": "iobench_syscalls",
      "sources": [
        "src/native/addon.cc",
        "src/native/args.cc",
        "src/native/socket-calls.cc",
        "src/native/io-calls.cc",
        "src/native/multiplex-calls.cc",
        "src/native/watch-readable.cc",
        "src/native/namespace-calls.cc",
        "src/native/client-calls.cc",
        "src/native/request-threads.cc",
        "src/native/uring-calls.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags_cc": ["-std=c++17", "-O2", "-fno-omit-frame-pointer", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "conditions": [["OS!='linux'", {"sources!": ["*"]}]]
    }
  ]
}
