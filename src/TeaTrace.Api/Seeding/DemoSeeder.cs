using System.Text.Json;
using Dapper;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Features.Custody;
using TeaTrace.Api.Features.Gardens;
using TeaTrace.Api.Features.Lots;
using TeaTrace.Api.Features.Members;
using TeaTrace.Api.Features.Orgs;
using TeaTrace.Api.Features.Processing;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Seeding;

/// <summary>
/// Loads seeds/demo.json into an empty database through the same stores and rules as the API, so the demo
/// records are in the ledger like any others. Each record is made by the demo key of the organisation that owns it.
/// </summary>
internal sealed class DemoSeeder(
    SqliteConnectionFactory connections,
    ILedgerWriter writer,
    PlotStore plots,
    InputStore inputs,
    HarvestStore harvests,
    BatchStore batches,
    StepStore steps,
    CompletionStore completions,
    LotStore lots,
    ShipmentStore shipments,
    MemberStore members,
    CollectionStore collections,
    SeedHandOvers handOvers,
    MarketYear marketYear,
    ILogger<DemoSeeder> logger)
{
    public const string SeedName = "demo";
    private const string ResourceName = "seeds/demo.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new Rfc3339Converter() } };

    public bool DemoLoaded()
    {
        using var connection = connections.Open();
        return connection.ExecuteScalar<bool>("SELECT EXISTS (SELECT 1 FROM seed_runs WHERE name = @Name)", new { Name = SeedName });
    }

    public async Task<bool> SeedIfEmptyAsync(CancellationToken cancellationToken)
    {
        using (var connection = connections.Open())
        {
            if (connection.ExecuteScalar<bool>("SELECT EXISTS (SELECT 1 FROM orgs)"))
            {
                return false;
            }
        }

        var seed = Load();
        var orgIds = new Dictionary<string, string>();
        var actors = new Dictionary<string, Caller>();
        var sellers = new List<Caller>();
        foreach (var org in seed.Orgs)
        {
            var orgCaller = actors.GetValueOrDefault("platform", Caller.System);
            var created = Check(await writer.WriteAsync(tx => OrgStore.Create(tx, orgCaller, new CreateOrgRequest(org.Name, org.Kind, org.Town, org.LicenceNo, org.Gs1CompanyPrefix, org.Phone)), cancellationToken), $"org {org.Ref}");
            orgIds[org.Ref] = created.Id;
            foreach (var key in org.Keys)
            {
                var keyCaller = actors.GetValueOrDefault("platform", Caller.System);
                var issued = Check(await writer.WriteAsync(tx => OrgStore.CreateKey(tx, keyCaller, created.Id, new CreateKeyRequest(key.HolderName, key.Role), key.ApiKey), cancellationToken), $"key of {org.Ref}");
                actors.TryAdd(org.Ref, new Caller(issued.Id, created.Id, issued.Role));
                sellers.Add(new Caller(issued.Id, created.Id, issued.Role));
            }
        }

        var memberIds = new Dictionary<string, string>();
        foreach (var member in seed.Members ?? [])
        {
            var created = Check(await members.CreateAsync(actors[member.Org], orgIds[member.Org], new CreateMemberRequest(member.Name, member.Village, member.Phone, member.IdLast4),
                reply: null, cancellationToken), $"member {member.Ref}");
            memberIds[member.Ref] = created.Id;
        }

        var plotIds = new Dictionary<string, string>();
        var plotOrgs = new Dictionary<string, string>();
        foreach (var plot in seed.Plots)
        {
            var created = Check(await plots.CreateAsync(actors[plot.Org], new CreatePlotRequest(orgIds[plot.Org], plot.Name, plot.Town, plot.Cultivar,
                plot.AreaMu, plot.Latitude, plot.Longitude, plot.AltitudeM, plot.Certifications, plot.Member is { } member ? memberIds[member] : null), reply: null, cancellationToken), $"plot {plot.Ref}");
            plotIds[plot.Ref] = created.Id;
            plotOrgs[plot.Ref] = plot.Org;
        }

        foreach (var input in seed.Inputs)
        {
            Check(await inputs.CreateAsync(actors[plotOrgs[input.Plot]], plotIds[input.Plot], new CreateInputRequest(input.Kind, input.Product,
                input.ActiveIngredient, input.Source, input.Dose, input.DoseUnit, input.Method, input.AppliedOn, null, input.PreHarvestIntervalDays, null), reply: null, cancellationToken), $"input on {input.Plot}");
        }

        var harvestIds = new Dictionary<string, string>();
        var harvestPlots = seed.Harvests.ToDictionary(h => h.Ref, h => h.Plot);
        foreach (var harvest in seed.Harvests)
        {
            var created = Check(await harvests.CreateAsync(actors[plotOrgs[harvest.Plot]], new CreateHarvestRequest(plotIds[harvest.Plot],
                harvest.PickedOn, harvest.PluckingStandard, harvest.FreshLeafKg), reply: null, cancellationToken), $"harvest {harvest.Ref}");
            harvestIds[harvest.Ref] = created.Id;
        }

        // A day at the cooperative's collection point: its members' leaf, weighed and paid, then sold to the factory as one pooled load.
        var collected = new List<LeafSaleLineRequest>();
        foreach (var collection in seed.Collections ?? [])
        {
            var plotOrg = plotOrgs[collection.Plot];
            var created = Check(await collections.CreateAsync(actors[plotOrg], new CreateCollectionRequest(memberIds[collection.Member], plotIds[collection.Plot],
                collection.PickedOn, collection.PluckingStandard, collection.Kg, collection.PricePerKgCny, collection.CollectedAt), reply: null, cancellationToken), $"collection of {collection.Member}");
            collected.Add(new LeafSaleLineRequest(created.HarvestId, created.Kg));
        }

        if (seed.CollectionSale is { } pooled && collected.Count > 0)
        {
            var seller = actors[plotOrgs[seed.Collections![0].Plot]];
            await handOvers.HandOverAsync(seller, actors[pooled.Buyer], orgIds[pooled.Buyer], pooled.SoldAt.AddHours(2), collected, "control", null, pooled.PricePerKgCny, cancellationToken);
        }

        var batchIds = new Dictionary<string, string>();
        foreach (var batch in seed.Batches)
        {
            var processor = actors[batch.Factory];
            // The leaf reaches the factory as real leaf does: one load per garden's organisation, with its certificate.
            foreach (var load in batch.Inputs.GroupBy(i => plotOrgs[harvestPlots[i.Harvest]]))
            {
                await handOvers.HandOverAsync(actors[load.Key], processor, orgIds[batch.Factory], batch.StartedAt,
                    load.Select(i => new LeafSaleLineRequest(harvestIds[i.Harvest], i.Kg)).ToList(), "control", null, 4.2m, cancellationToken);
            }

            var created = Check(await batches.CreateAsync(processor, new CreateBatchRequest(orgIds[batch.Factory], batch.StartedAt, batch.ClaimsGi,
                batch.Inputs.Select(i => new BatchInputRequest(harvestIds[i.Harvest], i.Kg)).ToList()), reply: null, cancellationToken), $"batch {batch.Ref}");
            batchIds[batch.Ref] = created.Id;
            foreach (var step in batch.Steps)
            {
                Check(await steps.RecordAsync(processor, created.Id, new RecordStepRequest(step.Step, step.StartedAt, step.EndedAt,
                    step.Readings?.Generate(step.StartedAt, step.EndedAt)), reply: null, cancellationToken), $"{step.Step} of {batch.Ref}");
            }

            if (batch.Complete is { } c)
            {
                Check(await completions.CompleteAsync(processor, created.Id, new CompleteBatchRequest(c.CompletedAt, c.MadeTeaKg, c.Style, c.Grade, c.MoisturePct, null), reply: null, cancellationToken), $"completion of {batch.Ref}");
            }
        }

        // Made tea leaves the factory for the shop with a delivery note; the shop weighs it in, and only then packs it.
        foreach (var shipment in seed.Shipments ?? [])
        {
            var sent = Check(await shipments.SendAsync(actors[shipment.From], new CreateShipmentRequest(batchIds[shipment.Batch], null, orgIds[shipment.To], shipment.Kg, null,
                shipment.ShippedAt), "", reply: null, cancellationToken), $"shipment of {shipment.Batch} to {shipment.To}");
            Check(await shipments.ReceiveAsync(actors[shipment.To], sent.Id, new ShipmentReceiptRequest(shipment.ReceivedAt, shipment.ReceivedKg, null, null), reply: null, cancellationToken),
                $"receipt of {shipment.Batch} by {shipment.To}");
        }

        foreach (var lot in seed.Lots)
        {
            var packer = actors.Where(a => a.Key == lot.Packer).Select(a => a.Value).Single();
            Check(await lots.CreateAsync(packer, new CreateLotRequest(batchIds[lot.Batch], lot.Gtin, lot.ProductName, lot.NetWeightG, lot.UnitCount,
                lot.PackedOn, lot.BestBefore, null), "", reply: null, cancellationToken), $"lot of {lot.Batch}");
        }

        // A year of trades from the cooperative's first garden through the factory, sold by the factory's sales desk.
        var firstPlot = seed.Plots[0];
        await marketYear.SeedAsync(actors[firstPlot.Org], plotIds[firstPlot.Ref], actors["factory"], orgIds["factory"],
            sellers.First(a => a.OrgId == orgIds["factory"] && a.Role == Roles.Distributor), cancellationToken);

        using (var connection = connections.Open())
        {
            connection.Execute("INSERT INTO seed_runs (name, applied_at) VALUES (@Name, @At)", new { Name = SeedName, At = DateTimeOffset.UtcNow.ToString("O") });
        }

        logger.LogInformation("Loaded the demo data: {Orgs} organisations, {Members} members, {Plots} plots, {Harvests} harvests, {Collections} collections, {Batches} batches, {Lots} lots",
            seed.Orgs.Count, memberIds.Count, seed.Plots.Count, seed.Harvests.Count, collected.Count, seed.Batches.Count, seed.Lots.Count);
        return true;
    }

    /// <summary>Demo keys are printed at start while the demo data is loaded; they are in seeds/demo.json for anyone to read.</summary>
    public void PrintDemoKeys(ICollection<string> urls)
    {
        var seed = Load();
        var lines = new List<string>
        {
            "",
            "TeaTrace is running with the DEMO data (TeaTrace:Seed=demo). Never use these keys in production.",
            $"  listening on: {string.Join(", ", urls)}",
            $"  API docs:     {urls.FirstOrDefault()}/docs",
            "  demo keys (Authorization: Bearer <key>):",
        };
        foreach (var org in seed.Orgs)
        {
            lines.AddRange(org.Keys.Select(k => $"    {k.Role,-12} {k.ApiKey,-38} {org.Name}"));
        }

        Console.WriteLine(string.Join(Environment.NewLine, lines) + Environment.NewLine);
    }

    private static SeedFile Load()
    {
        using var stream = typeof(DemoSeeder).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{ResourceName}' is missing.");
        return JsonSerializer.Deserialize<SeedFile>(stream, Json) ?? throw new InvalidOperationException("seeds/demo.json is empty.");
    }

    private static T Check<T>(WriteResult<T> result, string what) =>
        result.Refusal is { } refusal
            ? throw new InvalidOperationException($"The demo data could not be loaded: {what} was refused ({refusal.Status}): {refusal.Detail}")
            : result.Value!;

    private sealed record SeedFile(List<SeedOrg> Orgs, List<SeedPlot> Plots, List<SeedInput> Inputs, List<SeedHarvest> Harvests, List<SeedBatch> Batches, List<SeedLot> Lots,
        List<SeedShipment>? Shipments, List<SeedMember>? Members, List<SeedCollection>? Collections, SeedCollectionSale? CollectionSale);

    private sealed record SeedMember(string Ref, string Org, string Name, string Village, string? Phone, string? IdLast4);

    private sealed record SeedCollection(string Member, string Plot, DateOnly PickedOn, string PluckingStandard, decimal Kg, decimal PricePerKgCny, DateTimeOffset CollectedAt);

    private sealed record SeedCollectionSale(string Buyer, DateTimeOffset SoldAt, decimal PricePerKgCny);

    private sealed record SeedOrg(string Ref, string Name, string Kind, string Town, string? Phone, string? LicenceNo, string? Gs1CompanyPrefix, List<SeedKey> Keys);

    private sealed record SeedKey(string HolderName, string Role, string ApiKey);

    private sealed record SeedPlot(string Ref, string Org, string Name, string Town, string Cultivar, double AreaMu, double Latitude, double Longitude, double? AltitudeM, List<string>? Certifications, string? Member);

    private sealed record SeedInput(string Plot, string Kind, string Product, string? ActiveIngredient, string Source, double Dose, string DoseUnit, string Method, DateOnly AppliedOn, int? PreHarvestIntervalDays);

    private sealed record SeedHarvest(string Ref, string Plot, DateOnly PickedOn, string PluckingStandard, decimal FreshLeafKg);

    private sealed record SeedBatch(string Ref, string Factory, DateTimeOffset StartedAt, bool ClaimsGi, List<SeedBatchInput> Inputs, List<SeedStep> Steps, SeedCompletion? Complete);

    private sealed record SeedBatchInput(string Harvest, decimal Kg);

    private sealed record SeedStep(string Step, DateTimeOffset StartedAt, DateTimeOffset EndedAt, SeedReadings? Readings);

    /// <summary>Readings every few minutes across the step, moving smoothly within the given ranges.</summary>
    private sealed record SeedReadings(int EveryMinutes, double[] TemperatureC, double[] HumidityPct)
    {
        public List<ReadingRequest> Generate(DateTimeOffset from, DateTimeOffset to)
        {
            var readings = new List<ReadingRequest>();
            var i = 0;
            for (var at = from; at <= to; at = at.AddMinutes(EveryMinutes), i++)
            {
                var wave = 0.5 + (0.5 * Math.Sin(i * 0.7));
                readings.Add(new ReadingRequest(at,
                    Math.Round(TemperatureC[0] + ((TemperatureC[1] - TemperatureC[0]) * wave), 1),
                    Math.Round(HumidityPct[0] + ((HumidityPct[1] - HumidityPct[0]) * (1 - wave)), 1)));
            }

            return readings;
        }
    }

    private sealed record SeedCompletion(DateTimeOffset CompletedAt, decimal MadeTeaKg, string Style, string Grade, double? MoisturePct);

    private sealed record SeedShipment(string Batch, string From, string To, decimal Kg, DateTimeOffset ShippedAt, DateTimeOffset ReceivedAt, decimal ReceivedKg);

    private sealed record SeedLot(string Batch, string Packer, string Gtin, string ProductName, int NetWeightG, int UnitCount, DateOnly PackedOn, DateOnly? BestBefore);
}
