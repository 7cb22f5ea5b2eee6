using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Data;

namespace TeaTrace.Api.Tests;

/// <summary>
/// A database made by the version before laboratories (migrations 0001–0010, with organisations, keys and records in it)
/// is migrated on start: orgs and api_keys are rebuilt to allow 'lab', and everything that referred to them still does.
/// </summary>
public sealed class LabMigrationTests
{
    private const string OldFarmerKey = "tt_farmer_key_from_before_laboratories_01";

    [Fact]
    public async Task OlderDatabase_WithRecords_MigratesAndKeepsEveryReference()
    {
        var directory = Path.Combine(Path.GetTempPath(), "teatrace-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "teatrace.db");
        var connectionString = $"Data Source={path};Pooling=False;Foreign Keys=True";

        IReadOnlyList<string> schemaBefore;
        List<string> orgsBefore, keysBefore;
        using (var db = new SqliteConnection(connectionString))
        {
            db.Open();
            Execute(db, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, applied_at TEXT NOT NULL)");
            foreach (var migration in MigrationRunner.LoadEmbedded().Where(m => m.Version <= 10))
            {
                using var transaction = db.BeginTransaction();
                Execute(db, migration.Sql, transaction);
                Execute(db, $"INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES ({migration.Version}, '{migration.Name}', '{migration.Sha256}', '2026-11-01T00:00:00Z')", transaction);
                transaction.Commit();
            }

            Execute(db, """
                INSERT INTO orgs (id, name, kind, town, created_at) VALUES
                    ('org_coop', '英红镇茶叶合作社', 'cooperative', '英红镇', '2026-03-01T09:00:00+08:00'),
                    ('org_factory', '英德红茶加工厂', 'factory', '英红镇', '2026-03-01T09:00:00+08:00');
                INSERT INTO api_keys (id, org_id, role, key_hash, created_at, revoked_at) VALUES
                    ('key_farmer', 'org_coop', 'farmer', @Hash, '2026-03-01T09:05:00+08:00', NULL),
                    ('key_old', 'org_coop', 'farmer', randomblob(32), '2026-03-01T09:05:00+08:00', '2026-03-02T09:05:00+08:00');
                INSERT INTO plots (id, org_id, name, town, cultivar, area_mu, latitude, longitude, gi_eligible, created_at)
                    VALUES ('plt_old', 'org_coop', '鸡笼山', '英红镇', '英红九号', 10, 24.23, 113.30, 1, '2026-03-02T09:00:00+08:00');
                INSERT INTO farm_inputs (id, plot_id, kind, product, active_ingredient, source, dose, dose_unit, method, applied_on, phi_days, created_at)
                    VALUES ('inp_old', 'plt_old', 'pesticide', '联苯菊酯乳油', '联苯菊酯', '农资店', 20, 'mL/亩', '喷雾', '2026-03-10', 7, '2026-03-10T09:00:00+08:00');
                INSERT INTO harvests (id, code, plot_id, picked_on, plucking_standard, fresh_leaf_g, created_at)
                    VALUES ('hv_old', 'H-OLD00001', 'plt_old', '2026-03-25', 'bud1leaf', 50000, '2026-03-25T09:00:00+08:00');
                INSERT INTO batches (id, code, factory_org_id, started_at, claims_gi, fresh_leaf_g, created_at)
                    VALUES ('bat_old', 'B-OLD00001', 'org_factory', '2026-03-25T15:00:00+08:00', 1, 50000, '2026-03-25T15:00:00+08:00');
                INSERT INTO batch_inputs (batch_id, harvest_id, leaf_g) VALUES ('bat_old', 'hv_old', 50000);
                """, parameters: ("@Hash", ApiKeys.Hash(OldFarmerKey)));
            schemaBefore = Schema(db);
            orgsBefore = Rows(db, "SELECT * FROM orgs ORDER BY id");
            keysBefore = Rows(db, "SELECT * FROM api_keys ORDER BY id");
        }

        SqliteConnection.ClearAllPools();
        await using var app = new RestoredApp(directory);
        _ = app.Server;

        using (var db = new SqliteConnection(connectionString))
        {
            db.Open();
            Assert.Equal(1L, Scalar(db, "SELECT count(*) FROM schema_migrations WHERE version = 11"));
            Assert.Empty(Rows(db, "PRAGMA foreign_key_check"));
            Assert.Equal("ok", Scalar(db, "PRAGMA integrity_check"));
            Assert.Equal(orgsBefore, Rows(db, "SELECT * FROM orgs WHERE id IN ('org_coop', 'org_factory') ORDER BY id"));
            Assert.Equal(keysBefore, Rows(db, "SELECT * FROM api_keys WHERE id IN ('key_farmer', 'key_old') ORDER BY id"));

            // Every index and trigger there was is still there, and the references name orgs, not a renamed table.
            var schemaAfter = Schema(db);
            Assert.All(schemaBefore, item => Assert.Contains(item, schemaAfter));
            Assert.Contains("index api_keys_org ON api_keys (org_id)", schemaAfter);
            foreach (var table in new[] { "api_keys", "plots", "batches", "lots", "residue_tests" })
            {
                Assert.Contains("orgs", Rows(db, $"SELECT \"table\" FROM pragma_foreign_key_list('{table}')"));
            }

            Assert.DoesNotContain(Rows(db, "SELECT name FROM sqlite_master"), name => name.Contains("0011", StringComparison.Ordinal));

            // Foreign keys still hold: a plot of no organisation, or a key of none, is refused by the database.
            Assert.Throws<SqliteException>(() => Execute(db, "INSERT INTO plots (id, org_id, name, town, cultivar, area_mu, latitude, longitude, gi_eligible, created_at) VALUES ('plt_x', 'org_nowhere', 'x', 'x', 'x', 1, 24, 113, 1, 'x')"));
            Assert.Throws<SqliteException>(() => Execute(db, "INSERT INTO api_keys (id, org_id, role, key_hash, created_at) VALUES ('key_x', 'org_nowhere', 'lab', randomblob(32), 'x')"));
            Assert.Throws<SqliteException>(() => Execute(db, "DELETE FROM orgs WHERE id = 'org_coop'"));
            Assert.Throws<SqliteException>(() => Execute(db, "INSERT INTO orgs (id, name, kind, town, created_at) VALUES ('org_x', 'x', 'shop', 'x', 'x')"));
        }

        // The old key still opens its organisation's plot, records on it, and a laboratory can now be registered and test it.
        var farmer = app.Client(OldFarmerKey);
        var plot = await TeaTraceApp.Expect(await farmer.GetAsync("/api/plots/plt_old"), HttpStatusCode.OK);
        Assert.Equal("org_coop", plot.GetProperty("orgId").GetString());
        await TeaTraceApp.Created(await farmer.PostAsJsonAsync("/api/harvests", new { plotId = "plt_old", pickedOn = "2026-04-02", pluckingStandard = "bud1leaf", freshLeafKg = 20 }));
        var (_, labKey) = await app.LabAsync();
        Assert.Equal("lab", (await TeaTraceApp.Expect(await app.Client(labKey).GetAsync("/api/me"), HttpStatusCode.OK)).GetProperty("role").GetString());
        var test = await app.ResidueTestAsync(labKey, ResidueScenario.Lab("plt_old", new { pesticide = "联苯菊酯", mgPerKg = 0.2 }));
        Assert.Equal("pass", test.GetProperty("verdict").GetString());
    }

    private static IReadOnlyList<string> Schema(SqliteConnection db) =>
        Rows(db, "SELECT type || ' ' || name || ' ' || coalesce(tbl_name, '') FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL")
            .Concat(Rows(db, "SELECT 'index ' || name || ' ON ' || tbl_name || ' (' || (SELECT group_concat(ii.name, ', ') FROM pragma_index_info(m.name) ii) || ')' FROM sqlite_master m WHERE type = 'index' AND sql IS NOT NULL"))
            .ToList();

    private static List<string> Rows(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i) is byte[] b ? Convert.ToHexString(b) : reader.GetValue(i).ToString())));
        }

        return rows;
    }

    private static object? Scalar(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection db, string sql, SqliteTransaction? transaction = null, (string Name, object Value)? parameters = null)
    {
        using var command = db.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        if (parameters is { } p)
        {
            command.Parameters.AddWithValue(p.Name, p.Value);
        }

        command.ExecuteNonQuery();
    }
}
