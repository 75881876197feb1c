// The server targets Linux only (Native AOT linux-x64; libc, libsodium, libzstd through P/Invoke).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
