using System.Data;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Features.Orgs;
using TeaTrace.Api.Idempotency;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Features.Gardens;

/// <summary>Tea garden plots: where the leaf grows, and whether it may be sold as Yingde black tea (GI).</summary>
internal sealed class PlotStore(SqliteConnectionFactory connections, ILedgerWriter writer, IOptionsMonitor<GiOptions> gi)
{
    private const string InsertPlot = """
        INSERT INTO plots (id, org_id, name, town, cultivar, area_mu, latitude, longitude, altitude_m, certifications, gi_eligible, created_at, member_id)
        VALUES (@Id, @OrgId, @Name, @Town, @Cultivar, @AreaMu, @Latitude, @Longitude, @AltitudeM, @Certifications, @GiEligible, @CreatedAt, @MemberId)
        """;

    private const string PlotColumns = "id, org_id, name, town, cultivar, area_mu, latitude, longitude, altitude_m, certifications, gi_eligible, created_at, member_id";

    private const string SelectPlot = $"SELECT {PlotColumns} FROM plots WHERE id = @Id";

    private const string SelectPlotsByOrg = $"SELECT {PlotColumns} FROM plots WHERE org_id = @OrgId ORDER BY created_at, id LIMIT @Limit OFFSET @Offset";

    private const string SelectAllPlots = $"SELECT {PlotColumns} FROM plots ORDER BY created_at, id LIMIT @Limit OFFSET @Offset";

    internal sealed class PlotRow
    {
        public string Id { get; init; } = "";
        public string OrgId { get; init; } = "";
        public string Name { get; init; } = "";
        public string Town { get; init; } = "";
        public string Cultivar { get; init; } = "";
        public double AreaMu { get; init; }
        public double Latitude { get; init; }
        public double Longitude { get; init; }
        public double? AltitudeM { get; init; }
        public string Certifications { get; init; } = "[]";
        public bool GiEligible { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public string? MemberId { get; init; }
    }

    /// <summary>A plot read inside a write of this feature (inputs and harvests are recorded against it).</summary>
    internal static PlotRow? Row(IDbConnection connection, IDbTransaction? transaction, string id) =>
        connection.QuerySingleOrDefault<PlotRow>(SelectPlot, new { Id = id }, transaction);

    public Task<WriteResult<PlotResponse>> CreateAsync(Caller caller, CreatePlotRequest request, Reply<PlotResponse>? reply, CancellationToken cancellationToken) =>
        writer.WriteAsync(tx => Create(tx, caller, request), reply, cancellationToken);

    private WriteResult<PlotResponse> Create(LedgerTransaction tx, Caller caller, CreatePlotRequest request)
    {
        var certifications = (request.Certifications ?? []).Select(c => c?.Trim() ?? "").ToList();
        if (certifications.Any(c => c.Length is 0 or > 100))
        {
            return GardenRefusals.CertificationLength();
        }

        var org = OrgReads.Find(tx, request.OrgId);
        if (org is null)
        {
            return Refusal.NotFound(Noun.Organisation, request.OrgId);
        }

        if (!caller.ActsFor(org.Id))
        {
            return GardenRefusals.PlotsForOwnOrganisation();
        }

        if (org.Kind is not ("farm" or "cooperative"))
        {
            return GardenRefusals.NotATeaGarden(org.Name, org.Kind);
        }

        // A member's plot is the cooperative's to record, and named for the member who farms it.
        if (request.MemberId is { } memberId && Members.MemberReads.Find(tx, memberId)?.OrgId != org.Id)
        {
            return Members.MemberRefusals.NotAMemberOfThePlotsOrganisation(memberId);
        }

        var cultivar = request.Cultivar.Trim();
        var reasons = GiEligibility.Reasons(gi.CurrentValue, request.Latitude!.Value, request.Longitude!.Value, cultivar);
        var plot = new PlotResponse(Ids.New("plt"), org.Id, request.Name.Trim(), request.Town.Trim(), cultivar,
            request.AreaMu!.Value, request.Latitude.Value, request.Longitude.Value, request.AltitudeM,
            certifications, reasons.Count == 0, reasons, tx.Now, request.MemberId);
        tx.Execute(InsertPlot, new
        {
            plot.Id,
            plot.OrgId,
            plot.Name,
            plot.Town,
            plot.Cultivar,
            plot.AreaMu,
            // The table keeps the place to about a kilometre; the exact one is in the plot's sealed part, for those who may read it.
            Latitude = Math.Round(plot.Latitude, 2),
            Longitude = Math.Round(plot.Longitude, 2),
            plot.AltitudeM,
            Certifications = JsonSerializer.Serialize(plot.Certifications, LedgerEntry.DataJson),
            plot.GiEligible,
            plot.CreatedAt,
            plot.MemberId,
        });
        tx.Append(EntryTypes.PlotRegistered, plot.Id, caller, plot);
        return plot;
    }

    public PlotResponse? Find(string id)
    {
        using var connection = connections.Open();
        var row = Row(connection, null, id);
        return row is null ? null : ToResponse(connection, row);
    }

    public IReadOnlyList<PlotResponse> List(string? orgId, int offset, int limit)
    {
        using var connection = connections.Open();
        var rows = orgId is null
            ? connection.Query<PlotRow>(SelectAllPlots, new { Offset = offset, Limit = limit })
            : connection.Query<PlotRow>(SelectPlotsByOrg, new { OrgId = orgId, Offset = offset, Limit = limit });
        return rows.Select(row => ToResponse(connection, row)).ToList();
    }

    // Readers of a plot (its organisation, regulators, admins) see its exact place from the sealed part, or the
    // rounded one once it was erased. Eligibility was fixed at registration; the reasons are restated against today's settings.
    private PlotResponse ToResponse(IDbConnection connection, PlotRow row)
    {
        var exact = SealedReads.Fields(connection, row.Id, EntryTypes.PlotRegistered);
        var (latitude, longitude) = (exact.Number("latitude") ?? row.Latitude, exact.Number("longitude") ?? row.Longitude);
        return new(row.Id, row.OrgId, row.Name, row.Town, row.Cultivar, row.AreaMu, latitude, longitude,
            row.AltitudeM, JsonSerializer.Deserialize<List<string>>(row.Certifications) ?? [], row.GiEligible,
            row.GiEligible ? [] : GiEligibility.Reasons(gi.CurrentValue, latitude, longitude, row.Cultivar), row.CreatedAt, row.MemberId);
    }
}
