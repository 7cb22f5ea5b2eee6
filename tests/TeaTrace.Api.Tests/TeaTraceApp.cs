using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TeaTrace.Api.Tests;

/// <summary>
/// The service over HTTP against its own SQLite file in a temp folder. Each test class gets one, so "nothing was
/// written" checks are not disturbed by other classes running in parallel.
/// </summary>
public class TeaTraceApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminKey = "tt_test_bootstrap_admin_key_0001";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Dictionary<string, string> _settings;

    public TeaTraceApp() : this(seed: "none")
    {
    }

    protected TeaTraceApp(string seed, string? directory = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        Directory = directory ?? Path.Combine(Path.GetTempPath(), "teatrace-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        DatabasePath = Path.Combine(Directory, "teatrace.db");
        _settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:TeaTrace"] = $"Data Source={DatabasePath}",
            ["TeaTrace:Seed"] = seed,
            ["TeaTrace:BootstrapAdminKey"] = AdminKey,
            ["TeaTrace:PublicBaseUrl"] = "https://tea.example.cn",
            ["TeaTrace:Ledger:SigningKeyPath"] = Path.Combine(Directory, "ledger.key"),
            // Jobs run when a test calls them; the few tests that need a job server start their own.
            ["TeaTrace:Jobs:Server"] = "false",
            ["TeaTrace:Jobs:Storage"] = "memory",
            // One test process is one client address; the rate limit has its own test.
            ["TeaTrace:RateLimit:Enabled"] = "false",
            // Tests send wrong keys on purpose, all from the one test address; the limit on them has its own test.
            ["TeaTrace:KeyGuesses:FailureLimit"] = "100000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            _settings[key] = value;
        }
    }

    public string Directory { get; }

    public string DatabasePath { get; }

    /// <summary>Everything the service logged, to check what it says and what it never says.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<(LogLevel Level, string Category, string Message)> Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureLogging(logging => logging.AddProvider(new CaptureLoggerProvider(Logs)));
        foreach (var (key, value) in _settings.Where(s => s.Value.Length > 0)) // an empty value leaves the setting unset
        {
            builder.UseSetting(key, value);
        }
    }

    public Task InitializeAsync()
    {
        _ = Server; // start the host: migrations, bootstrap key
        return Task.CompletedTask;
    }

    Task IAsyncLifetime.DisposeAsync()
    {
        Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // a file still open on a slow shutdown; the temp folder is cleaned by the OS
        }

        return Task.CompletedTask;
    }

    public HttpClient Client(string? apiKey = null)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = ClientOptions.BaseAddress });
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    /// <summary>A client whose connection comes from this address, as a phone or a proxy in front of the service would.</summary>
    public HttpClient ClientFrom(string address)
    {
        var ip = System.Net.IPAddress.Parse(address);
        return new HttpClient(Server.CreateHandler(http => http.Connection.RemoteIpAddress = ip)) { BaseAddress = ClientOptions.BaseAddress };
    }

    /// <summary>The admin key of this database: the bootstrap key, or the demo admin when the demo data is loaded.</summary>
    public virtual string AdminApiKey => AdminKey;

    public HttpClient Admin() => Client(AdminApiKey);

    public SqliteConnection OpenDatabase()
    {
        var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        return connection;
    }

    /// <summary>
    /// Every table's rows and a hash of their contents, the ledger included: equal snapshots mean nothing was written,
    /// not even an UPDATE that keeps the row count.
    /// </summary>
    public IReadOnlyDictionary<string, TableContents> Snapshot()
    {
        using var connection = OpenDatabase();
        var tables = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var contents = new SortedDictionary<string, TableContents>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\"";
            using var reader = command.ExecuteReader();
            var rows = new List<string>();
            while (reader.Read())
            {
                var row = new System.Text.StringBuilder();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var value = reader.GetValue(i);
                    row.Append(value switch
                    {
                        DBNull => "∅",
                        byte[] bytes => Convert.ToHexString(bytes),
                        IFormattable number => number.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
                        _ => value.ToString(),
                    }).Append('\u001f');
                }

                rows.Add(row.ToString());
            }

            rows.Sort(StringComparer.Ordinal);
            var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join('\u001e', rows))));
            contents[table] = new TableContents(rows.Count, hash);
        }

        return contents;
    }

    public long LedgerSize()
    {
        using var connection = OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM ledger_entries";
        return (long)command.ExecuteScalar()!;
    }

    // ---- a small world of organisations and keys, made through the API

    public async Task<World> CreateWorldAsync()
    {
        var admin = Admin();
        var coop = await CreateOrgAsync(admin, "英红镇茶叶合作社", "cooperative", "英红镇");
        var farm = await CreateOrgAsync(admin, "连江口家庭茶园", "farm", "连江口镇");
        var factory = await CreateOrgAsync(admin, "英德红茶加工厂", "factory", "英红镇", gs1: "690123456");
        var otherFactory = await CreateOrgAsync(admin, "横石塘茶厂", "factory", "横石塘镇");
        var shop = await CreateOrgAsync(admin, "芳村茶行", "distributor", "广州市荔湾区");
        var amr = await CreateOrgAsync(admin, "英德市市场监督管理局", "regulator", "英城街道");
        return new World(
            coop, await CreateKeyAsync(admin, coop, "farmer"),
            farm, await CreateKeyAsync(admin, farm, "farmer"),
            factory, await CreateKeyAsync(admin, factory, "processor"),
            otherFactory, await CreateKeyAsync(admin, otherFactory, "processor"),
            shop, await CreateKeyAsync(admin, shop, "distributor"),
            amr, await CreateKeyAsync(admin, amr, "regulator"));
    }

    public static async Task<string> CreateOrgAsync(HttpClient admin, string name, string kind, string town, string? gs1 = null)
    {
        var response = await admin.PostAsJsonAsync("/api/orgs", new { name, kind, town, gs1CompanyPrefix = gs1 });
        return (await Created(response)).GetProperty("id").GetString()!;
    }

    public static async Task<string> CreateKeyAsync(HttpClient admin, string orgId, string role)
    {
        var response = await admin.PostAsJsonAsync($"/api/orgs/{orgId}/keys", new { holderName = $"test {role}", role });
        return (await Created(response)).GetProperty("apiKey").GetString()!;
    }

    public static async Task<JsonElement> Created(HttpResponseMessage response) => await Expect(response, HttpStatusCode.Created);

    public static async Task<JsonElement> Expect(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>An RFC 9457 problem with this status; returns the problem for further checks.</summary>
    public static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        var problem = await Expect(response, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.DoesNotContain("   at ", problem.GetRawText(), StringComparison.Ordinal); // no stack traces
        return problem;
    }
}

internal sealed class CaptureLoggerProvider(System.Collections.Concurrent.ConcurrentQueue<(LogLevel, string, string)> logs) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(logs, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(System.Collections.Concurrent.ConcurrentQueue<(LogLevel, string, string)> logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs.Enqueue((logLevel, category, formatter(state, exception) + (exception is null ? "" : " " + exception)));
    }
}

/// <summary>A table as a snapshot sees it: how many rows, and a hash of all of them.</summary>
public sealed record TableContents(long Rows, string Hash);

public sealed record World(
    string CoopId, string CoopFarmerKey,
    string FarmId, string FarmFarmerKey,
    string FactoryId, string ProcessorKey,
    string OtherFactoryId, string OtherProcessorKey,
    string ShopId, string DistributorKey,
    string RegulatorOrgId, string RegulatorKey);
