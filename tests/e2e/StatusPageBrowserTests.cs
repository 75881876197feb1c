using System.Text.Json;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using Vega.Lite.E2E.Support;
using Vega.Lite.Tests.Support;

namespace Vega.Lite.E2E;

/// <summary>
/// The status page of the published binary in a real headless Chromium (Debian's chromium and chromium-driver, driven
/// through Selenium.WebDriver; issue 19): it renders with no console error, its figures equal what <c>/metrics</c> and
/// <c>/_api/v1/caches</c> say, a private cache is absent for a stranger and present once its token is entered in the
/// page's form, and a phone-sized window needs no sideways scrolling. Screenshots go to $VEGA_LITE_SCREENSHOTS
/// (tests/run-all.sh: artifacts/screenshots).
/// </summary>
public sealed class StatusPageBrowserTests : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private const string ChromeDriver = "/usr/bin/chromedriver";

    private VegaLiteProcess _server = null!;
    private string _profile = null!;

    public async Task InitializeAsync()
    {
        _server = await VegaLiteProcess.StartAsync();
        foreach (var (name, visibility) in new[] { ("public-stuff", "--public"), ("secret-stuff", "--private") })
        {
            var created = await Processes.RunAsync(VegaLiteProcess.Binary, ["-f", _server.ConfigPath, "ensure-cache", name, visibility]);
            Assert.True(created.ExitCode == 0, created.Describe("ensure-cache"));
        }
        _profile = Path.Combine(_server.Directory, "chromium-profile");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private ChromeDriver StartBrowser()
    {
        Assert.True(File.Exists(Chromium) && File.Exists(ChromeDriver),
            "Debian's chromium and chromium-driver are needed (scripts/install-test-deps.sh installs them)");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        // As the machine's notes say Chromium runs here: headless, as root without its sandbox, and without the
        // background connections a closed network refuses.
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--window-size=1280,1800", $"--user-data-dir={_profile}");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    private static string ScreenshotPath(string name)
    {
        var directory = Environment.GetEnvironmentVariable("VEGA_LITE_SCREENSHOTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Path.GetTempPath(), "vega-lite-screenshots");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, name);
    }

    private static string[] Caches(IWebDriver browser) =>
        browser.FindElements(By.CssSelector("section.cache")).Select(s => s.GetDomAttribute("data-cache") ?? "").ToArray();

    private static string Figure(IWebDriver browser, string cache, string metric) =>
        browser.FindElement(By.CssSelector($"section[data-cache='{cache}'] dd[data-metric='{metric}']")).GetDomAttribute("data-value") ?? "";

    private static void AssertNoConsoleErrors(IWebDriver browser)
    {
        var errors = browser.Manage().Logs.GetLog(LogType.Browser).Where(e => e.Level >= LogLevel.Warning).Select(e => e.Message).ToList();
        Assert.True(errors.Count == 0, "console: " + string.Join("\n", errors));
    }

    /// <summary>
    /// Clicks a form's button and waits (at most 15 s) for the page the POST redirects to: a click returns before the
    /// navigation, so the old page's elements would still be found, or go stale while being read.
    /// </summary>
    private static void ClickAndWaitForNextPage(IWebDriver browser, By button)
    {
        var old = browser.FindElement(By.TagName("html"));
        browser.FindElement(button).Click();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            try
            {
                _ = old.TagName; // throws once the old document is gone
            }
            catch (StaleElementReferenceException)
            {
                if ((string)((IJavaScriptExecutor)browser).ExecuteScript("return document.readyState;")! == "complete")
                {
                    return;
                }
            }
            Assert.True(DateTime.UtcNow < deadline, "the form's POST did not lead to a new page within 15 s");
            Thread.Sleep(50);
        }
    }

    [Fact]
    public async Task It_renders_in_Chromium_with_the_apis_figures_and_shows_a_private_cache_only_with_its_token()
    {
        var root = await _server.MakeTokenAsync("--pull", "*", "--push", "*");
        using var pusher = CacheApi.Client(_server.BaseUrl, root);
        var files = Path.Combine(_server.Directory, "files");
        Directory.CreateDirectory(files);
        for (var i = 0; i < 3; i++)
        {
            var file = Path.Combine(files, $"f{i}");
            await File.WriteAllBytesAsync(file, Enumerable.Range(0, 50_000 * (i + 1)).Select(b => (byte)(b * (i + 3) % 253)).ToArray());
            var storePath = $"/nix/store/{new string((char)('a' + i), 32)}-status-page-{i}";
            await CacheApi.UploadPathAsync(pusher, i < 2 ? "public-stuff" : "secret-stuff", storePath, Nars.Dump(file));
        }
        using var anonymous = CacheApi.Client(_server.BaseUrl, null);
        var metrics = new PrometheusText(await anonymous.GetStringAsync("metrics"));
        using var caches = JsonDocument.Parse(await pusher.GetStringAsync("_api/v1/caches"));

        using var browser = StartBrowser();
        browser.Navigate().GoToUrl(_server.BaseUrl + "/");
        Assert.Equal("Vega.Lite — status", browser.Title);
        Assert.Equal(["public-stuff"], Caches(browser));
        Assert.DoesNotContain("secret-stuff", browser.PageSource);
        foreach (var (metric, series) in new[] { ("objects", "vega_lite_cache_objects"), ("nar-bytes", "vega_lite_cache_nar_bytes"), ("stored-bytes", "vega_lite_cache_stored_bytes") })
        {
            Assert.Equal(metrics.Single(series, "cache=public-stuff").ToString(System.Globalization.CultureInfo.InvariantCulture),
                Figure(browser, "public-stuff", metric));
        }
        Assert.Equal("2", Figure(browser, "public-stuff", "objects"));
        var config = caches.RootElement.GetProperty("public-stuff");
        Assert.Equal(
            $"extra-substituters = {config.GetProperty("substituter_endpoint").GetString()}\n" +
            $"extra-trusted-public-keys = {config.GetProperty("public_key").GetString()}",
            browser.FindElement(By.CssSelector("section[data-cache='public-stuff'] pre.nix-conf")).Text);
        var chart = browser.FindElement(By.CssSelector("section[data-cache='public-stuff'] svg#chart-pushes"));
        Assert.True(chart.Displayed && chart.Size.Width > 200 && chart.Size.Height > 40, $"chart {chart.Size}");
        Assert.Equal(2, browser.FindElements(By.CssSelector("section[data-cache='public-stuff'] rect.bar"))
            .Sum(bar => int.Parse(bar.GetDomAttribute("data-value") ?? "")));
        Assert.Equal(metrics.Single("vega_lite_storage_stored_bytes").ToString(System.Globalization.CultureInfo.InvariantCulture),
            browser.FindElement(By.CssSelector("#storage dd[data-metric='stored-bytes']")).GetDomAttribute("data-value"));
        AssertNoConsoleErrors(browser);
        ((ITakesScreenshot)browser).GetScreenshot().SaveAsFile(ScreenshotPath("status-stranger.png"));

        // The token, typed into the page's form: the private cache appears, and stays across a reload (the cookie).
        var reader = await _server.MakeTokenAsync("--pull", "secret-*");
        browser.FindElement(By.Id("token")).SendKeys(reader);
        ClickAndWaitForNextPage(browser, By.Id("use-token"));
        Assert.Equal(["public-stuff", "secret-stuff"], Caches(browser));
        Assert.Equal("1", Figure(browser, "secret-stuff", "objects"));
        Assert.Contains("e2e", browser.FindElement(By.Id("signed-in")).Text);
        browser.Navigate().Refresh();
        Assert.Equal(["public-stuff", "secret-stuff"], Caches(browser));
        AssertNoConsoleErrors(browser);
        ((ITakesScreenshot)browser).GetScreenshot().SaveAsFile(ScreenshotPath("status-token.png"));

        // A phone-sized window: everything fits its width.
        browser.Manage().Window.Size = new System.Drawing.Size(390, 1600);
        var overflow = (long)((IJavaScriptExecutor)browser).ExecuteScript("return document.documentElement.scrollWidth - window.innerWidth;")!;
        Assert.True(overflow <= 0, $"{overflow} px wider than a phone's window");
        ((ITakesScreenshot)browser).GetScreenshot().SaveAsFile(ScreenshotPath("status-phone.png"));

        ClickAndWaitForNextPage(browser, By.Id("forget"));
        Assert.Equal(["public-stuff"], Caches(browser));
        AssertNoConsoleErrors(browser);
    }
}
