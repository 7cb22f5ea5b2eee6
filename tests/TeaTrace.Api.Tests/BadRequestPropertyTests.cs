using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;

namespace TeaTrace.Api.Tests;

/// <summary>
/// Thousands of generated bad requests against every write endpoint: each must be a 4xx problem, and no row and no
/// ledger entry may appear. Every mutation is one that makes the request invalid whatever the rest of it holds.
/// </summary>
public sealed class BadRequestPropertyTests(TeaTraceApp app, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<TeaTraceApp>
{
    private const int Iterations = 3000;

    private enum Kind
    {
        Text,
        Number,
        Flag,
        Date,
        Time,
        List,
    }

    private sealed record Field(string Path, Kind Kind, bool Required);

    private sealed record Target(string Path, JsonObject Body, IReadOnlyList<Field> Fields);

    private static Field F(string path, Kind kind, bool required = true) => new(path, kind, required);

    private async Task<List<Target>> TargetsAsync(World world)
    {
        var plot = await app.PlotAsync(world.CoopFarmerKey, world.CoopId);
        var harvest = (await app.HarvestAsync(world.CoopFarmerKey, plot, 200m)).GetProperty("id").GetString()!;
        var open = (await app.BatchAsync(world.ProcessorKey, world.FactoryId, true, (harvest, 50m))).GetProperty("id").GetString()!;
        var dried = (await app.BatchAsync(world.ProcessorKey, world.FactoryId, true, (harvest, 100m))).GetProperty("id").GetString()!;
        await app.StepsAsync(world.ProcessorKey, dried);
        var made = await app.CompletedBatchAsync(world);
        var lot = (await TeaTraceApp.Created(await app.Client(world.ProcessorKey).PostAsJsonAsync("/api/lots", Scenario.Lot(made, unitCount: 4)))).GetProperty("id").GetString()!;
        var unsold = (await app.HarvestAsync(world.CoopFarmerKey, plot, 50m)).GetProperty("id").GetString()!;
        var sold = (await TeaTraceApp.Created(await app.Client(world.CoopFarmerKey).PostAsJsonAsync("/api/leaf-sales", new
        {
            buyerOrgId = world.FactoryId,
            soldAt = "2026-04-03T09:00:00+08:00",
            basis = "control",
            harvests = new[] { new { harvestId = unsold, kg = 10m } },
        }))).GetProperty("certificateNo").GetString()!;
        var shipped = (await app.ShipAsync(world.ProcessorKey, made, world.ShopId, 2m)).GetProperty("id").GetString()!;
        var tins = (await app.ShipTinsAsync(world.ProcessorKey, lot, world.ShopId, 2)).GetProperty("id").GetString()!;
        var member = (await TeaTraceApp.Created(await app.Client(world.CoopFarmerKey).PostAsJsonAsync($"/api/orgs/{world.CoopId}/members", new { name = "邓桂芳", village = "英红镇" })))
            .GetProperty("id").GetString()!;
        static JsonObject J(object value) => JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(value, TeaTraceApp.Json))!.AsObject();
        return
        [
            new("/api/orgs", J(new { name = "茶园", kind = "farm", town = "英红镇", licenceNo = "L1", gs1CompanyPrefix = "690123" }),
                [F("name", Kind.Text), F("kind", Kind.Text), F("town", Kind.Text), F("licenceNo", Kind.Text, false), F("gs1CompanyPrefix", Kind.Text, false)]),
            new($"/api/orgs/{world.CoopId}/keys", J(new { holderName = "x", role = "farmer" }), [F("holderName", Kind.Text), F("role", Kind.Text)]),
            new("/api/plots", J(new { orgId = world.CoopId, name = "地块", town = "英红镇", cultivar = "英红九号", areaMu = 2.5, latitude = 24.2, longitude = 113.3, altitudeM = 180, certifications = new[] { "有机" } }),
                [F("orgId", Kind.Text), F("name", Kind.Text), F("town", Kind.Text), F("cultivar", Kind.Text), F("areaMu", Kind.Number), F("latitude", Kind.Number),
                 F("longitude", Kind.Number), F("altitudeM", Kind.Number, false), F("certifications", Kind.List, false)]),
            new($"/api/plots/{plot}/inputs", J(new { kind = "pesticide", product = "苦参碱", activeIngredient = "matrine", source = "农资店", dose = 75, doseUnit = "mL/mu", method = "spray", appliedOn = "2026-03-01", preHarvestIntervalDays = 7 }),
                [F("kind", Kind.Text), F("product", Kind.Text), F("activeIngredient", Kind.Text, false), F("source", Kind.Text), F("dose", Kind.Number), F("doseUnit", Kind.Text),
                 F("method", Kind.Text), F("appliedOn", Kind.Date), F("preHarvestIntervalDays", Kind.Number)]),
            new("/api/harvests", J(new { plotId = plot, pickedOn = "2026-05-02", pluckingStandard = "bud1leaf", freshLeafKg = 12.5 }),
                [F("plotId", Kind.Text), F("pickedOn", Kind.Date), F("pluckingStandard", Kind.Text), F("freshLeafKg", Kind.Number)]),
            new("/api/batches", J(new { factoryOrgId = world.FactoryId, startedAt = "2026-04-03T15:00:00+08:00", claimsGi = true, inputs = new[] { new { harvestId = harvest, kg = 1.5 } } }),
                [F("factoryOrgId", Kind.Text), F("startedAt", Kind.Time), F("claimsGi", Kind.Flag), F("inputs", Kind.List), F("inputs[0].harvestId", Kind.Text), F("inputs[0].kg", Kind.Number)]),
            new($"/api/batches/{open}/steps", J(new { step = "withering", startedAt = "2026-04-03T15:00:00+08:00", endedAt = "2026-04-04T07:00:00+08:00", readings = new[] { new { at = "2026-04-03T16:00:00+08:00", temperatureC = 25.0, humidityPct = 70.0 } } }),
                [F("step", Kind.Text), F("startedAt", Kind.Time), F("endedAt", Kind.Time), F("readings[0].at", Kind.Time), F("readings[0].temperatureC", Kind.Number), F("readings[0].humidityPct", Kind.Number)]),
            new($"/api/batches/{dried}/complete", J(new { completedAt = "2026-04-04T16:30:00+08:00", madeTeaKg = 24, style = "strip", grade = "special", moisturePct = 6.2 }),
                [F("completedAt", Kind.Time), F("madeTeaKg", Kind.Number), F("style", Kind.Text), F("grade", Kind.Text), F("moisturePct", Kind.Number, false)]),
            new("/api/lots", J(new { batchId = made, gtin = "06901234560015", productName = "英德红茶", netWeightG = 250, unitCount = 2, packedOn = "2026-04-08", bestBefore = "2028-04-07", overrideReason = "小样" }),
                [F("batchId", Kind.Text), F("gtin", Kind.Text), F("productName", Kind.Text), F("netWeightG", Kind.Number), F("unitCount", Kind.Number), F("packedOn", Kind.Date), F("bestBefore", Kind.Date, false),
                 F("overrideReason", Kind.Text, false)]),
            new("/api/trades", J(new { lotId = lot, buyer = "茶行", units = 1, unitPriceCny = 268.5, tradedAt = "2026-05-01T10:00:00+08:00", market = "芳村", overrideReason = "拍卖" }),
                [F("lotId", Kind.Text), F("buyer", Kind.Text), F("units", Kind.Number), F("unitPriceCny", Kind.Number), F("tradedAt", Kind.Time), F("market", Kind.Text, false),
                 F("overrideReason", Kind.Text, false)]),
            new("/api/recalls", J(new { lotId = lot, reason = "测试" }), [F("lotId", Kind.Text), F("reason", Kind.Text)]),
            new("/api/market/rebuild", J(new { from = "2026-06-01", to = "2026-06-02" }), [F("from", Kind.Date), F("to", Kind.Date)]),
            new("/api/market/days/2026-06-01/reopen", J(new { reason = "迟交的销售单" }), [F("reason", Kind.Text)]),
            new("/api/leaf-sales", J(new { buyerOrgId = world.FactoryId, soldAt = "2026-04-03T09:00:00+08:00", basis = "control", pricePerKgCny = 40, harvests = new[] { new { harvestId = unsold, kg = 5 } } }),
                [F("buyerOrgId", Kind.Text), F("soldAt", Kind.Time), F("basis", Kind.Text), F("pricePerKgCny", Kind.Number, false), F("harvests", Kind.List),
                 F("harvests[0].harvestId", Kind.Text), F("harvests[0].kg", Kind.Number)]),
            new("/api/leaf-receipts", J(new { certificateNo = sold, receivedAt = "2026-04-03T10:00:00+08:00", receivedKg = 9.8 }),
                [F("certificateNo", Kind.Text), F("receivedAt", Kind.Time), F("receivedKg", Kind.Number)]),
            new("/api/leaf-rejections", J(new { certificateNo = sold, reason = "鲜叶发热" }), [F("certificateNo", Kind.Text), F("reason", Kind.Text)]),
            new($"/api/certificates/{sold}/void", J(new { reason = "开错买方" }), [F("reason", Kind.Text)]),
            new("/api/shipments", J(new { batchId = made, toOrgId = world.ShopId, kg = 1.5, shippedAt = "2026-04-05T09:00:00+08:00" }),
                [F("batchId", Kind.Text), F("toOrgId", Kind.Text), F("kg", Kind.Number), F("shippedAt", Kind.Time)]),
            new("/api/shipments", J(new { lotId = lot, toOrgId = world.ShopId, units = 1, shippedAt = "2026-04-09T09:00:00+08:00" }),
                [F("lotId", Kind.Text), F("toOrgId", Kind.Text), F("units", Kind.Number), F("shippedAt", Kind.Time)]),
            new($"/api/shipments/{shipped}/receive", J(new { receivedAt = "2026-04-06T10:00:00+08:00", receivedKg = 2, note = "完好" }),
                [F("receivedAt", Kind.Time), F("receivedKg", Kind.Number), F("note", Kind.Text, false)]),
            new($"/api/shipments/{tins}/receive", J(new { receivedAt = "2026-04-09T15:00:00+08:00", receivedUnits = 2 }),
                [F("receivedAt", Kind.Time), F("receivedUnits", Kind.Number, false)]),
            new("/api/residue-tests", J(new { plotId = plot, harvestId = harvest, sampledOn = "2026-04-02", method = "lab", reportNo = "GDTQ-2026-0417", results = new[] { new { pesticide = "联苯菊酯", activeIngredient = "bifenthrin", mgPerKg = 0.2 } }, lotId = lot, planLineId = "plan-7" }),
                [F("plotId", Kind.Text), F("harvestId", Kind.Text, false), F("sampledOn", Kind.Date), F("method", Kind.Text), F("reportNo", Kind.Text, false), F("results", Kind.List),
                 F("results[0].pesticide", Kind.Text), F("results[0].activeIngredient", Kind.Text, false), F("results[0].mgPerKg", Kind.Number), F("lotId", Kind.Text, false),
                 F("planLineId", Kind.Text, false)]),
            new("/api/residue-tests", J(new { plotId = plot, sampledOn = "2026-04-02", method = "rapid", results = new[] { new { @class = "organophosphate-carbamate", inhibitionPct = 12.5, pass = true } } }),
                [F("plotId", Kind.Text), F("sampledOn", Kind.Date), F("method", Kind.Text), F("results", Kind.List), F("results[0].class", Kind.Text), F("results[0].inhibitionPct", Kind.Number),
                 F("results[0].pass", Kind.Flag, false)]),
            new($"/api/orgs/{world.CoopId}/members", J(new { name = "罗永福", village = "横石塘镇 龙华村", phone = "139 2231 0457", idLast4 = "042X" }),
                [F("name", Kind.Text), F("village", Kind.Text), F("phone", Kind.Text, false), F("idLast4", Kind.Text, false)]),
            new("/api/collections", J(new { memberId = member, plotId = plot, pickedOn = "2026-04-02", pluckingStandard = "bud1leaf", kg = 12.345, pricePerKgCny = 36.5, collectedAt = "2026-04-02T17:30:00+08:00" }),
                [F("memberId", Kind.Text), F("plotId", Kind.Text), F("pickedOn", Kind.Date), F("pluckingStandard", Kind.Text), F("kg", Kind.Number), F("pricePerKgCny", Kind.Number),
                 F("collectedAt", Kind.Time)]),
        ];
    }

    [Fact]
    public async Task WriteEndpoints_BadRequests_AreProblemsAndWriteNothing()
    {
        var world = await app.CreateWorldAsync();
        var targets = await TargetsAsync(world);
        var readingsPath = targets.Single(t => t.Path.EndsWith("/steps", StringComparison.Ordinal)).Path.Replace("/steps", "/readings", StringComparison.Ordinal);
        var admin = app.Admin();
        var baseline = app.Snapshot();
        var statuses = new Dictionary<int, int>();
        var tried = 0;

        var gen = Gen.Select(Gen.Int[0, targets.Count - 1], Gen.Int[0, 12], Gen.Int[0, 100], Gen.Int[0, 1_000_000]);
        gen.Sample((target, mutation, field, salt) =>
        {
            var (path, content) = Mutate(targets[target], mutation, field, salt, readingsPath);
            using var response = admin.PostAsync(path, content).GetAwaiter().GetResult();
            var code = (int)response.StatusCode;
            var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            Assert.True(code is >= 400 and < 500, $"POST {path} answered {code}: {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            lock (statuses)
            {
                statuses[code] = statuses.GetValueOrDefault(code) + 1;
                tried++;
            }
        }, iter: Iterations, threads: 1);

        output.WriteLine($"{tried} bad requests: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key} × {s.Value}")));
        Assert.Equal(Iterations, tried);
        Assert.Equal(baseline, app.Snapshot());
        Assert.True(statuses.Keys.Count >= 3, string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}")));
    }

    private static (string Path, HttpContent Content) Mutate(Target target, int mutation, int fieldIndex, int salt, string readingsPath)
    {
        var body = (JsonObject)target.Body.DeepClone();
        var field = target.Fields[fieldIndex % target.Fields.Count];
        switch (mutation)
        {
            case 0: // a whole-body fault
                return (target.Path, (salt % 8) switch
                {
                    0 => new StringContent(body.ToJsonString()[..(body.ToJsonString().Length / 2)], Encoding.UTF8, "application/json"),
                    1 => new StringContent(body.ToJsonString(), Encoding.UTF8, "text/plain"),
                    2 => new FormUrlEncodedContent([new("name", "x")]),
                    3 => new StringContent("", Encoding.UTF8, "application/json"),
                    4 => new StringContent("[1,2,3]", Encoding.UTF8, "application/json"),
                    5 => new StringContent("null", Encoding.UTF8, "application/json"),
                    6 => NonUtf8(body),
                    _ => salt % 40 == 7 ? new StringContent($"{{\"x\":\"{new string('x', 1_100_000)}\"}}", Encoding.UTF8, "application/json") : NonUtf8(body),
                });
            case 1 when !field.Required:
            case 1:
                if (!field.Required)
                {
                    goto case 2;
                }

                Remove(body, field.Path);
                break;
            case 2: // a value of the wrong JSON type
                Set(body, field.Path, field.Kind switch
                {
                    Kind.Text => (salt % 3) switch { 0 => JsonValue.Create(42), 1 => new JsonArray(), _ => new JsonObject() },
                    Kind.Number => (salt % 3) switch { 0 => JsonValue.Create("twelve"), 1 => new JsonObject(), _ => JsonValue.Create(true) },
                    Kind.Flag => (salt % 2) switch { 0 => JsonValue.Create("yes"), _ => JsonValue.Create(1) },
                    Kind.List => (salt % 2) switch { 0 => JsonValue.Create("x"), _ => new JsonObject() },
                    _ => (salt % 3) switch { 0 => JsonValue.Create(20260501), 1 => JsonValue.Create("05/02/2026"), _ => JsonValue.Create("2026-13-45") },
                });
                break;
            case 3 or 4: // numbers no field allows; strings longer than any field allows; dates outside any season
                Set(body, field.Path, field.Kind switch
                {
                    Kind.Number => JsonNode.Parse(salt % 2 == 0 ? "1e308" : "-1e308"),
                    Kind.Text => JsonValue.Create(new string('茶', 10_000 + (salt % 100))),
                    Kind.Date => JsonValue.Create(salt % 2 == 0 ? "9999-12-31" : "0001-01-01"),
                    Kind.Time => JsonValue.Create(salt % 2 == 0 ? "9999-12-31T00:00:00+08:00" : "0001-01-01T00:00:00+08:00"),
                    Kind.List => new JsonArray(Enumerable.Range(0, 6000).Select(_ => (JsonNode?)JsonValue.Create(new string('x', 200))).ToArray()),
                    _ => JsonValue.Create("maybe"),
                });
                break;
            case 5 when field.Kind is Kind.Number: // weights, counts and prices below zero
                Set(body, field.Path, JsonValue.Create(-(salt % 1000) - 0.5));
                if (field.Path.Contains("temperature", StringComparison.Ordinal) || field.Path.Contains("latitude", StringComparison.Ordinal)
                    || field.Path.Contains("longitude", StringComparison.Ordinal) || field.Path.Contains("altitude", StringComparison.Ordinal))
                {
                    Set(body, field.Path, JsonValue.Create(-100_000.5)); // these may be a little negative; not this much
                }

                break;
            case 6: // bulk readings with one bad reading among good ones
                var readings = new JsonArray(Enumerable.Range(0, 3).Select(i => (JsonNode?)new JsonObject
                {
                    ["at"] = "2026-04-03T16:00:00+08:00",
                    ["step"] = "withering",
                    ["temperatureC"] = 25,
                    ["humidityPct"] = i == salt % 3 ? 150 + (salt % 50) : 70,
                }).ToArray());
                return (readingsPath, new StringContent(readings.ToJsonString(), Encoding.UTF8, "application/json"));
            default: // an unknown or disallowed code for a text field, else drop a required field
                if (field.Kind == Kind.Text && field.Required && !field.Path.EndsWith("Id", StringComparison.Ordinal))
                {
                    Set(body, field.Path, JsonValue.Create(new string('Z', 5000)));
                }
                else
                {
                    Set(body, field.Path, JsonNode.Parse("1e308"));
                }

                break;
        }

        return (target.Path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
    }

    private static ByteArrayContent NonUtf8(JsonObject body)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        var quote = Array.IndexOf(bytes, (byte)'"', 3);
        var broken = bytes.Take(quote + 1).Concat(new byte[] { 0xFF, 0xFE, 0xC3 }).Concat(bytes.Skip(quote + 1)).ToArray();
        var content = new ByteArrayContent(broken);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    private static void Set(JsonObject body, string path, JsonNode? value)
    {
        var (parent, name) = Navigate(body, path);
        parent[name] = value;
    }

    private static void Remove(JsonObject body, string path)
    {
        var (parent, name) = Navigate(body, path);
        parent.Remove(name);
    }

    private static (JsonObject Parent, string Name) Navigate(JsonObject body, string path)
    {
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return (body, path);
        }

        var list = path[..path.IndexOf('[', StringComparison.Ordinal)];
        return ((JsonObject)body[list]![0]!, path[(dot + 1)..]);
    }
}
