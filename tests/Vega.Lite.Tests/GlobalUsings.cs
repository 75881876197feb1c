global using System.Net;
global using Vega.Lite.Tests.Support;
global using Xunit;
