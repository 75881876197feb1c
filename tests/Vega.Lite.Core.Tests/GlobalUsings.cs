global using Vega.Lite.Core.Tests.Nix.Support;
global using Vega.Lite.Core.Tests.Support;
global using Xunit;
