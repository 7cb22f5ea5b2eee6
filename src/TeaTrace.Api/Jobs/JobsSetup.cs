using System.ComponentModel.DataAnnotations;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.InMemory;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.Options;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;

namespace TeaTrace.Api.Jobs;

internal sealed class JobsOptions
{
    public const string SectionName = "TeaTrace:Jobs";

    /// <summary>Run a Hangfire server in this process. Tests turn it off and call the job classes directly.</summary>
    public bool Server { get; set; } = true;

    /// <summary>"sqlite" (its own file beside the main database) or "memory".</summary>
    [RegularExpression("^(sqlite|memory)$", ErrorMessage = "TeaTrace:Jobs:Storage must be 'sqlite' or 'memory'.")]
    public string Storage { get; set; } = "sqlite";

    /// <summary>Hangfire's own database file; by default teatrace-jobs.db beside the main one.</summary>
    public string? DatabasePath { get; set; }

    // SQLite job storages have known races under many workers; two is plenty for these jobs.
    [Range(1, 8)]
    public int WorkerCount { get; set; } = 2;

    [Range(0.05, 60.0)]
    public double PollIntervalSeconds { get; set; } = 2;

    /// <summary>Cron per recurring job id (Asia/Shanghai); "never" leaves a job registered but unscheduled.</summary>
    public Dictionary<string, string> Schedules { get; set; } = [];

    public string ScheduleOf(string jobId, string fallback) =>
        Schedules.TryGetValue(jobId, out var cron) && !string.IsNullOrWhiteSpace(cron)
            ? (cron.Equals("never", StringComparison.OrdinalIgnoreCase) ? Cron.Never() : cron)
            : fallback;
}

/// <summary>One recurring job: a stable id, its default schedule, and how to run it.</summary>
internal interface IRecurringJobRegistration
{
    void Register(IRecurringJobManager manager, JobsOptions options);
}

internal static class JobsSetup
{
    public static IServiceCollection AddTeaTraceJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        // Hangfire keeps process-wide statics; this host's storage and activator are its own DI singletons, and
        // everything uses the injected IBackgroundJobClient / IRecurringJobManager.
        services.AddSingleton<JobStorage>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<JobsOptions>>().Value;
            if (options.Storage == "memory")
            {
                return new InMemoryStorage();
            }

            var path = options.DatabasePath ?? DefaultPath(sp.GetRequiredService<SqliteConnectionFactory>().DatabasePath);
            Common.PrivateFiles.SecureFolder(Path.GetDirectoryName(Path.GetFullPath(path))!);
            Common.PrivateFiles.SecureFiles(Common.PrivateFiles.Database(Path.GetFullPath(path)));
            return new SQLiteStorage(path, new SQLiteStorageOptions { QueuePollInterval = TimeSpan.FromSeconds(options.PollIntervalSeconds) });
        });
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, configuration) => configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseStorage(sp.GetRequiredService<JobStorage>())
            .UseLogProvider(new HostLogProvider(sp.GetRequiredService<ILoggerFactory>())));
        if (!configuration.GetValue($"{JobsOptions.SectionName}:{nameof(JobsOptions.Server)}", true))
        {
            return services;
        }

        services.AddHangfireServer((sp, server) =>
        {
            var options = sp.GetRequiredService<IOptions<JobsOptions>>().Value;
            server.WorkerCount = options.WorkerCount;
            server.SchedulePollingInterval = TimeSpan.FromSeconds(options.PollIntervalSeconds);
            server.ServerName = $"teatrace-{Environment.MachineName}";
        });
        return services;
    }

    public static string DefaultPath(string mainDatabase) =>
        Path.Combine(Path.GetDirectoryName(mainDatabase)!, Path.GetFileNameWithoutExtension(mainDatabase) + "-jobs.db");

    /// <summary>Registers every recurring job under its stable id with its configured schedule.</summary>
    public static void RegisterRecurringJobs(IServiceProvider services)
    {
        var manager = services.GetRequiredService<IRecurringJobManager>();
        var options = services.GetRequiredService<IOptions<JobsOptions>>().Value;
        foreach (var registration in services.GetServices<IRecurringJobRegistration>())
        {
            registration.Register(manager, options);
        }
    }

    public static RecurringJobOptions InChina => new() { TimeZone = ChinaTime.Zone };
}

/// <summary>
/// Hangfire keeps its log provider in a static; when several hosts live in one process (tests) a disposed host's
/// logger factory would be used. Its loggers then fall silent instead of throwing.
/// </summary>
internal sealed class HostLogProvider(ILoggerFactory factory) : Hangfire.Logging.ILogProvider
{
    private readonly AspNetCoreLogProvider _inner = new(factory);

    public Hangfire.Logging.ILog GetLogger(string name)
    {
        try
        {
            return new SafeLog(_inner.GetLogger(name));
        }
        catch (ObjectDisposedException)
        {
            return new SafeLog(null);
        }
    }

    private sealed class SafeLog(Hangfire.Logging.ILog? inner) : Hangfire.Logging.ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                return inner?.Log(logLevel, messageFunc, exception) ?? false;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
