using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace TeaTrace.Browser.Tests;

/// <summary>The service with its demo data on a real port, and Debian's Chromium driven by Playwright.</summary>
public sealed class BrowserApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminKey = "tt_demo_admin_yingde_platform";
    public const string RegulatorKey = "tt_demo_regulator_yingde_amr";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "teatrace-browser", Guid.NewGuid().ToString("N"));
    private IPlaywright? _playwright;

    public string BaseUrl { get; private set; } = "";

    public IBrowser Browser { get; private set; } = null!;

    public string DatabasePath => Path.Combine(_directory, "teatrace.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:TeaTrace", $"Data Source={DatabasePath}");
        builder.UseSetting("TeaTrace:Seed", "demo");
        builder.UseSetting("TeaTrace:Ledger:SigningKeyPath", Path.Combine(_directory, "ledger.key"));
        builder.UseSetting("TeaTrace:Jobs:Server", "false");
        builder.UseSetting("TeaTrace:Jobs:Storage", "memory");
        builder.UseSetting("TeaTrace:RateLimit:Enabled", "false");
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        UseKestrel(0);
        StartServer();
        BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::]", "localhost", StringComparison.Ordinal);
        ClientOptions.BaseAddress = new Uri(BaseUrl);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A phone: 360 × 740 CSS pixels, touch, Chinese first.</summary>
    public Task<IBrowserContext> PhoneAsync(string locale = "zh-CN") => Browser.NewContextAsync(new BrowserNewContextOptions
    {
        ViewportSize = new ViewportSize { Width = 360, Height = 740 },
        DeviceScaleFactor = 2,
        IsMobile = true,
        HasTouch = true,
        Locale = locale,
        TimezoneId = "Asia/Shanghai",
    });

    public long Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Serials of the demo's first lot, read from the database.</summary>
    public List<string> Serials(int lotIndex = 0)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT u.serial FROM units u WHERE u.lot_id = (SELECT id FROM lots ORDER BY created_at LIMIT 1 OFFSET $n) ORDER BY u.seq";
        command.Parameters.AddWithValue("$n", lotIndex);
        using var reader = command.ExecuteReader();
        var serials = new List<string>();
        while (reader.Read())
        {
            serials.Add(reader.GetString(0));
        }

        return serials;
    }

    public static string ScreenshotPath(string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "TeaTrace.sln")))
        {
            directory = directory.Parent;
        }

        var folder = Path.Combine(directory?.FullName ?? AppContext.BaseDirectory, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
