# vega-lite from this repository, built with nixpkgs' buildDotnetModule: the Native AOT executable, with links named
# atticd and atticadm (started by those names it behaves as them, so services.atticd can run it too).
# Written without nixpkgs at hand and never built: see nixos-module/README.md, "What was and wasn't tested".
{
  lib,
  stdenv,
  buildDotnetModule,
  dotnetCorePackages,
  runCommand,
  writeText,
  libsodium,
  zstd,
  xz,
  sqlite,
  openssl,
}:
let
  # Only what the build reads, and never a local bin/ or obj/: leftovers from another publish mode break a publish.
  src = lib.cleanSourceWith {
    src = ../.;
    filter =
      path: type:
      let
        relative = lib.removePrefix (toString ../. + "/") (toString path);
        name = baseNameOf path;
      in
      !(type == "directory" && (name == "bin" || name == "obj"))
      && (relative == "Directory.Build.props" || relative == "src" || lib.hasPrefix "src/" relative);
  };

  # The native libraries the binary calls. Linked in statically when the project says how
  # (src/Vega.Lite/StaticNativeLibraries.targets reads the archives from one directory); otherwise loaded at run time
  # through the executable's RUNPATH (set in postFixup).
  nativeLibraries = [
    libsodium
    zstd
    xz
    sqlite
  ];
  linksStatically = builtins.pathExists ../src/Vega.Lite/StaticNativeLibraries.targets;

  # nixpkgs builds these shared-only; the same libraries with their static archives, against the same glibc.
  withStaticArchive =
    pkg:
    pkg.overrideAttrs (old: {
      dontDisableStatic = true;
      cmakeFlags = (old.cmakeFlags or [ ]) ++ [ "-DZSTD_BUILD_STATIC=ON" ];
    });
  staticArchives = runCommand "vega-lite-static-archives" { } ''
    mkdir -p $out
    for archive in libsodium.a libzstd.a liblzma.a libsqlite3.a; do
      found=$(find ${lib.concatMapStringsSep " " (pkg: lib.concatMapStringsSep " " toString (withStaticArchive pkg).all) nativeLibraries} \
        -name "$archive" -print -quit)
      [ -n "$found" ] || { echo "no $archive in the static builds" >&2; exit 1; }
      ln -s "$found" $out/$archive
    done
  '';

  # For the install check: a configuration check-config accepts without touching anything.
  minimalConfig = writeText "minimal-server.toml" ''
    [storage]
    type = "local"
    path = "/nonexistent/storage"
  '';
in
buildDotnetModule {
  # Not "vega-lite": nixpkgs has a package of that name (the Vega-Lite visualization grammar).
  pname = "vega-lite-server";
  # The project has no release version yet.
  version = "0.1.0";
  inherit src;

  projectFile = "src/Vega.Lite/Vega.Lite.csproj";
  nugetDeps = ./deps.json;

  # Native AOT is published from net9.0 (see README "Building"); the net10.0 target is for development and tests,
  # and SDK 9 cannot build it, hence the single target framework.
  dotnet-sdk = dotnetCorePackages.sdk_9_0;
  dotnet-runtime = null;
  selfContainedBuild = true;
  dotnetFlags = [
    "-p:TargetFrameworks=net9.0"
  ]
  ++ lib.optional linksStatically "-p:StaticNativeLibraryDirectory=${staticArchives}";

  # The AOT compiler links with the C toolchain.
  nativeBuildInputs = [ stdenv.cc ];
  buildInputs = nativeLibraries ++ [ openssl ];

  # No wrapper scripts: the links must reach the binary itself for it to see the name it was started by.
  executables = [ ];
  postInstall = ''
    rm -f $out/lib/$pname/*.dbg
    mkdir -p $out/bin
    for name in vega-lite atticd atticadm; do
      ln -s ../lib/$pname/vega-lite $out/bin/$name
    done
  '';

  # After the fixup's RUNPATH shrinking, which would drop directories of libraries that are only dlopen()ed
  # (libssl, and the native libraries when not linked statically).
  postFixup = ''
    patchelf --add-rpath ${lib.makeLibraryPath (nativeLibraries ++ [ openssl ])} $out/lib/$pname/vega-lite
  '';

  doInstallCheck = true;
  installCheckPhase = ''
    runHook preInstallCheck
    $out/bin/vega-lite --version
    ATTIC_SERVER_TOKEN_HS256_SECRET_BASE64=dGVzdCBzZWNyZXQ= ATTIC_SERVER_DATABASE_URL=sqlite://:memory: \
      $out/bin/atticd --mode check-config -f ${minimalConfig}
    runHook postInstallCheck
  '';

  meta = {
    description = "Nix binary cache server, a drop-in replacement for Attic's atticd";
    mainProgram = "vega-lite";
    # The NuGet lock file holds the linux-x64 runtime packs only.
    platforms = [ "x86_64-linux" ];
  };
}
