# The container image of docker/Dockerfile made by Nix, for Nix users: `nix build .#image`, then
# `docker load < result` (or `podman load < result`). The same user (65532:65532, HOME the volume), volume, working
# directory, XDG directories and entrypoint as the Dockerfile's runtime stage; the package of nix/package.nix stands in
# for /opt/vega-lite, and its closure (glibc and OpenSSL included, through its RUNPATH) for Ubuntu's libraries.
# Written without nixpkgs at hand and never built: tests/nix/image.sh evaluates it, through the flake, with stand-ins
# for dockerTools and compares its config with docker/Dockerfile's last stage.
{
  dockerTools,
  vega-lite,
}:
let
  volume = "/var/lib/vega-lite";
  # The Dockerfile's groupadd and useradd: Docker sets HOME from this entry.
  nss = dockerTools.fakeNss.override {
    extraPasswdLines = [ "vega-lite:x:65532:65532:vega-lite:${volume}:/usr/sbin/nologin" ];
    extraGroupLines = [ "vega-lite:x:65532:" ];
  };
in
dockerTools.buildLayeredImage {
  name = "vega-lite";
  tag = "latest";
  # /etc/ssl/certs/ca-certificates.crt for .NET's TLS (to S3), as Debian's ca-certificates in the Dockerfile.
  contents = [
    nss
    dockerTools.caCertificates
  ];
  # The volume as the Dockerfile makes it (`install -d -o 65532 -g 65532 -m 0750`), so that a new named volume is
  # initialised with that owner; /tmp, which the image would otherwise lack.
  fakeRootCommands = ''
    install -d -o 65532 -g 65532 -m 0750 .${volume}
    install -d -m 1777 ./tmp
  '';
  config = {
    User = "65532:65532";
    # PATH lets `docker exec` call atticadm; the first start writes its config and data inside the volume.
    Env = [
      "PATH=${vega-lite}/bin"
      "XDG_CONFIG_HOME=${volume}/config"
      "XDG_DATA_HOME=${volume}"
      "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"
    ];
    Volumes = {
      ${volume} = { };
    };
    WorkingDir = volume;
    # The default listen address is [::]:8080.
    ExposedPorts = {
      "8080/tcp" = { };
    };
    Entrypoint = [ "${vega-lite}/bin/vega-lite" ];
  };
}
