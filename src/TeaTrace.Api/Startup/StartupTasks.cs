using Dapper;
using Microsoft.Extensions.Options;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Features.LedgerApi;
using TeaTrace.Api.Features.Orgs;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Startup;

/// <summary>What runs before the service answers: migrate, load demo data into an empty database, register the bootstrap admin key.</summary>
internal static class StartupTasks
{
    public const string PlatformOrgName = "TeaTrace 平台 (platform operator)";

    public static async Task InitializeTeaTraceAsync(this WebApplication app)
    {
        var services = app.Services;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("TeaTrace.Startup");
        var connections = services.GetRequiredService<SqliteConnectionFactory>();
        services.GetRequiredService<MigrationRunner>().Migrate();
        logger.LogInformation("Database {Path} is migrated", connections.DatabasePath);

        // The tree's right edge is rebuilt from the stored nodes and must reproduce the last signed checkpoint.
        var signingKey = services.GetRequiredService<LedgerSigningKey>();
        services.GetRequiredService<SqliteLedgerWriter>().Start();
        if (CheckpointSigner.VerifyAtStart(connections, signingKey) is { } repaired)
        {
            logger.LogWarning("Ledger signer: {Repaired}", repaired);
        }

        var options = services.GetRequiredService<IOptions<TeaTraceOptions>>().Value;
        var seed = options.Seed ?? (app.Environment.IsDevelopment() ? "demo" : "none");
        var seeder = services.GetRequiredService<Seeding.DemoSeeder>();
        if (seed == "demo")
        {
            if (app.Environment.IsProduction())
            {
                logger.LogWarning("TeaTrace:Seed is 'demo' in Production: the demo keys in seeds/demo.json will work on an empty database. Set TeaTrace:Seed=none.");
            }

            await seeder.SeedIfEmptyAsync(CancellationToken.None);
        }

        if (options.BootstrapAdminKey is { Length: > 0 } bootstrapKey)
        {
            await RegisterBootstrapKeyAsync(services.GetRequiredService<ILedgerWriter>(), bootstrapKey, logger);
        }

        // A checkpoint at once, then every minute from the job server.
        await services.GetRequiredService<CheckpointSigner>().SignIfGrownAsync();
        Jobs.JobsSetup.RegisterRecurringJobs(services);

        if (seeder.DemoLoaded())
        {
            app.Lifetime.ApplicationStarted.Register(() => seeder.PrintDemoKeys(app.Urls));
        }
    }

    private static async Task RegisterBootstrapKeyAsync(ILedgerWriter writer, string key, ILogger logger)
    {
        var registered = await writer.WriteAsync<bool>(tx =>
        {
            if (OrgReads.AnyActiveAdmin(tx) || tx.ExecuteScalar<bool>("SELECT EXISTS (SELECT 1 FROM api_keys WHERE key_hash = @Hash)", new { Hash = ApiKeys.Hash(key) }))
            {
                return false;
            }

            var orgId = tx.ExecuteScalar<string>("SELECT id FROM orgs WHERE kind = 'platform' ORDER BY created_at LIMIT 1");
            if (orgId is null)
            {
                var org = OrgStore.Create(tx, Caller.System, new CreateOrgRequest(PlatformOrgName, "platform", "英德市", null, null));
                orgId = org.Value!.Id;
            }

            var created = OrgStore.CreateKey(tx, Caller.System, orgId, new CreateKeyRequest("bootstrap admin", Roles.Admin), key);
            return created.IsRefused ? created.Refusal! : true;
        });

        if (registered.Value)
        {
            // The key itself is never logged.
            logger.LogWarning("Registered TeaTrace:BootstrapAdminKey as an admin key; issue named admin keys and revoke it when done.");
        }
    }
}
