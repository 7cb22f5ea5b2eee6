using Microsoft.Extensions.DependencyInjection.Extensions;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Data;

internal static class DataSetup
{
    public static IServiceCollection AddTeaTraceData(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        TypeHandlers.Register();
        // Before anything creates a file: the database, its WAL, the job store, keys and backups are the service's alone.
        Common.PrivateFiles.RestrictNewFiles();
        var connectionString = configuration.GetConnectionString(SqliteConnectionFactory.ConnectionStringName)
            ?? SqliteConnectionFactory.DefaultConnectionString;
        services.AddSingleton(new SqliteConnectionFactory(connectionString, environment.ContentRootPath));
        services.AddSingleton<MigrationRunner>();
        services.AddSingleton<SqliteLedgerWriter>();
        services.AddSingleton<ILedgerWriter>(sp => sp.GetRequiredService<SqliteLedgerWriter>());
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
