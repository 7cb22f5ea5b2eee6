using System.Net.Http.Json;
using System.Text.Json;

namespace TeaTrace.Api.Tests;

/// <summary>Short ways to build records through the API for tests that need them as a starting point.</summary>
public static class Scenario
{
    public const string Day = "2026-04-02";

    public static async Task<string> PlotAsync(this TeaTraceApp app, string farmerKey, string orgId,
        string cultivar = "英红九号", double latitude = 24.2321, double longitude = 113.3017)
    {
        var response = await app.Client(farmerKey).PostAsJsonAsync("/api/plots", new
        {
            orgId,
            name = "鸡笼山 地块",
            town = "英红镇",
            cultivar,
            areaMu = 10.5,
            latitude,
            longitude,
            altitudeM = 180,
        });
        return (await TeaTraceApp.Created(response)).GetProperty("id").GetString()!;
    }

    public static async Task<JsonElement> HarvestAsync(this TeaTraceApp app, string farmerKey, string plotId, decimal kg = 100m, string pickedOn = Day)
    {
        var response = await app.Client(farmerKey).PostAsJsonAsync("/api/harvests", new { plotId, pickedOn, pluckingStandard = "bud1leaf", freshLeafKg = kg });
        return await TeaTraceApp.Created(response);
    }

    /// <summary>
    /// Sells leaf of a harvest to a factory or cooperative (the admin acting for the grower, basis control) and receives
    /// it in full (the admin acting for the buyer); returns the certificate number. Null when the grower has less unsold
    /// leaf than asked, so that a test can go on to see the batch refused.
    /// </summary>
    public static async Task<string?> HandOverAsync(this TeaTraceApp app, string buyerOrgId, string harvestId, decimal kg, string soldAt = "2026-04-03T10:00:00+08:00")
    {
        var admin = app.Client(TeaTraceApp.AdminKey);
        var sale = await admin.PostAsJsonAsync("/api/leaf-sales", new { buyerOrgId, soldAt, basis = "control", harvests = new[] { new { harvestId, kg } } });
        if (sale.StatusCode == System.Net.HttpStatusCode.UnprocessableEntity)
        {
            return null;
        }

        var number = (await TeaTraceApp.Created(sale)).GetProperty("certificateNo").GetString()!;
        await TeaTraceApp.Created(await admin.PostAsJsonAsync("/api/leaf-receipts", new { certificateNo = number, receivedAt = DateTimeOffset.Parse(soldAt).AddMinutes(30), receivedKg = kg }));
        return number;
    }

    /// <summary>Starts a batch, first handing the leaf over to the factory (see <see cref="HandOverAsync"/>).</summary>
    public static async Task<JsonElement> BatchAsync(this TeaTraceApp app, string processorKey, string factoryId, bool claimsGi, params (string HarvestId, decimal Kg)[] inputs)
    {
        foreach (var (harvestId, kg) in inputs)
        {
            await app.HandOverAsync(factoryId, harvestId, kg);
        }

        return await app.BatchWithoutHandOverAsync(processorKey, factoryId, claimsGi, inputs);
    }

    /// <summary>Starts a batch of leaf the factory already holds.</summary>
    public static async Task<JsonElement> BatchWithoutHandOverAsync(this TeaTraceApp app, string processorKey, string factoryId, bool claimsGi, params (string HarvestId, decimal Kg)[] inputs)
    {
        var response = await app.Client(processorKey).PostAsJsonAsync("/api/batches", new
        {
            factoryOrgId = factoryId,
            startedAt = "2026-04-03T15:00:00+08:00",
            claimsGi,
            inputs = inputs.Select(i => new { harvestId = i.HarvestId, kg = i.Kg }),
        });
        return await TeaTraceApp.Created(response);
    }

    public static readonly (string Step, string StartedAt, string EndedAt)[] FourSteps =
    [
        ("withering", "2026-04-03T15:00:00+08:00", "2026-04-04T07:00:00+08:00"),
        ("rolling", "2026-04-04T07:15:00+08:00", "2026-04-04T08:35:00+08:00"),
        ("fermentation", "2026-04-04T08:45:00+08:00", "2026-04-04T12:15:00+08:00"),
        ("drying", "2026-04-04T12:25:00+08:00", "2026-04-04T14:05:00+08:00"),
    ];

    public static async Task StepsAsync(this TeaTraceApp app, string processorKey, string batchId, int count = 4)
    {
        var client = app.Client(processorKey);
        foreach (var (step, startedAt, endedAt) in FourSteps.Take(count))
        {
            var response = await client.PostAsJsonAsync($"/api/batches/{batchId}/steps", new
            {
                step,
                startedAt,
                endedAt,
                readings = new[] { new { at = startedAt, temperatureC = 25.0, humidityPct = 92.0 }, new { at = endedAt, temperatureC = 27.0, humidityPct = 95.0 } },
            });
            await TeaTraceApp.Created(response);
        }
    }

    public static async Task<JsonElement> CompleteAsync(this TeaTraceApp app, string processorKey, string batchId, decimal madeTeaKg, string? overrideReason = null)
    {
        var response = await app.Client(processorKey).PostAsJsonAsync($"/api/batches/{batchId}/complete", new
        {
            completedAt = "2026-04-04T16:30:00+08:00",
            madeTeaKg,
            style = "strip",
            grade = "special",
            moisturePct = 6.2,
            overrideReason,
        });
        return await TeaTraceApp.Expect(response, System.Net.HttpStatusCode.OK);
    }

    /// <summary>A completed GI batch of 100 kg leaf making 24 kg of tea, from a new plot of the coop.</summary>
    public static async Task<string> CompletedBatchAsync(this TeaTraceApp app, World world, decimal leafKg = 100m, decimal madeKg = 24m)
    {
        var plot = await app.PlotAsync(world.CoopFarmerKey, world.CoopId);
        var harvest = await app.HarvestAsync(world.CoopFarmerKey, plot, leafKg);
        var batch = await app.BatchAsync(world.ProcessorKey, world.FactoryId, true, (harvest.GetProperty("id").GetString()!, leafKg));
        var batchId = batch.GetProperty("id").GetString()!;
        await app.StepsAsync(world.ProcessorKey, batchId);
        await app.CompleteAsync(world.ProcessorKey, batchId, madeKg);
        return batchId;
    }

    /// <summary>A completed batch of the given style and grade (100 kg of leaf, 24 kg of tea), packed into one lot; returns the lot id.</summary>
    public static async Task<string> SalesLotAsync(this TeaTraceApp app, World world, string style, string grade, int units, int netWeightG)
    {
        var plot = await app.PlotAsync(world.CoopFarmerKey, world.CoopId);
        var harvest = (await app.HarvestAsync(world.CoopFarmerKey, plot, 100m)).GetProperty("id").GetString()!;
        var batch = (await app.BatchAsync(world.ProcessorKey, world.FactoryId, true, (harvest, 100m))).GetProperty("id").GetString()!;
        await app.StepsAsync(world.ProcessorKey, batch);
        await TeaTraceApp.Expect(await app.Client(world.ProcessorKey).PostAsJsonAsync($"/api/batches/{batch}/complete", new
        {
            completedAt = "2026-04-04T16:30:00+08:00",
            madeTeaKg = 24m,
            style,
            grade,
        }), System.Net.HttpStatusCode.OK);
        var lot = await TeaTraceApp.Created(await app.Client(world.ProcessorKey).PostAsJsonAsync("/api/lots", Lot(batch, units, netWeightG)));
        return lot.GetProperty("id").GetString()!;
    }

    /// <summary>Ships made tea of a batch (the shipper's key) to an organisation; returns the shipment.</summary>
    public static async Task<JsonElement> ShipAsync(this TeaTraceApp app, string shipperKey, string batchId, string toOrgId, decimal kg, string shippedAt = "2026-04-05T09:00:00+08:00") =>
        await TeaTraceApp.Created(await app.Client(shipperKey).PostAsJsonAsync("/api/shipments", new { batchId, toOrgId, kg, shippedAt }));

    /// <summary>Ships packed tins of a lot (the packer's key) to an organisation; returns the shipment.</summary>
    public static async Task<JsonElement> ShipTinsAsync(this TeaTraceApp app, string shipperKey, string lotId, string toOrgId, int units, string shippedAt = "2026-04-09T09:00:00+08:00") =>
        await TeaTraceApp.Created(await app.Client(shipperKey).PostAsJsonAsync("/api/shipments", new { lotId, toOrgId, units, shippedAt }));

    /// <summary>Receives a shipment (the receiver's key): made tea by weight, tins by count (all of them when neither is given).</summary>
    public static async Task<JsonElement> ReceiveShipmentAsync(this TeaTraceApp app, string receiverKey, string shipmentId, decimal? receivedKg = null, int? receivedUnits = null,
        string receivedAt = "2026-04-09T15:00:00+08:00") =>
        await TeaTraceApp.Created(await app.Client(receiverKey).PostAsJsonAsync($"/api/shipments/{shipmentId}/receive", new { receivedAt, receivedKg, receivedUnits }));

    /// <summary>The factory ships made tea of a batch to the world's shop, which weighs it in in full: what a shop must do before it packs.</summary>
    public static async Task<string> ShipToShopAsync(this TeaTraceApp app, World world, string batchId, decimal kg)
    {
        var shipment = await app.ShipAsync(world.ProcessorKey, batchId, world.ShopId, kg);
        var id = shipment.GetProperty("id").GetString()!;
        await app.ReceiveShipmentAsync(world.DistributorKey, id, receivedKg: kg, receivedAt: "2026-04-06T10:00:00+08:00");
        return id;
    }

    /// <summary>A GTIN-14 no one has packed under yet (indicator 0, a Chinese 69x prefix, a valid check digit), for shops that have no GS1 prefix of their own.</summary>
    public static string NewGtin()
    {
        var first13 = "069" + string.Concat(Enumerable.Range(0, 10).Select(_ => (char)('0' + System.Security.Cryptography.RandomNumberGenerator.GetInt32(10))));
        var sum = first13.Reverse().Select((c, i) => (c - '0') * (i % 2 == 0 ? 3 : 1)).Sum();
        return first13 + (char)('0' + ((10 - (sum % 10)) % 10));
    }

    public static object Lot(string batchId, int unitCount = 10, int netWeightG = 250, string gtin = "06901234560015") => new
    {
        batchId,
        gtin,
        productName = "英德红茶·英红九号 特级 250 g",
        netWeightG,
        unitCount,
        packedOn = "2026-04-08",
        bestBefore = "2028-04-07",
    };
}
