using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Errors;
using TeaTrace.Api.Features.Custody;
using TeaTrace.Api.Features.FrontDoor;
using TeaTrace.Api.Features.Gardens;
using TeaTrace.Api.Features.LedgerApi;
using TeaTrace.Api.Features.Lots;
using TeaTrace.Api.Features.Market;
using TeaTrace.Api.Features.Members;
using TeaTrace.Api.Features.Operations;
using TeaTrace.Api.Features.Orgs;
using TeaTrace.Api.Features.Privacy;
using TeaTrace.Api.Features.Processing;
using TeaTrace.Api.Features.Recalls;
using TeaTrace.Api.Features.Residues;
using TeaTrace.Api.Features.Resolver;
using TeaTrace.Api.Idempotency;
using TeaTrace.Api.Jobs;
using TeaTrace.Api.Ledger;
using TeaTrace.Api.Seeding;
using TeaTrace.Api.Startup;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddTeaTraceOptions();
builder.Services.AddTeaTraceData(builder.Configuration, builder.Environment);
builder.Services.AddTeaTraceAuth();
builder.Services.AddTeaTraceErrors();
builder.Services.AddTeaTraceOpenApi();
builder.Services.AddTeaTraceProtection();
builder.Services.AddIdempotency();
builder.Services.AddTeaTraceJobs(builder.Configuration);
builder.Services.AddJobsDashboard(builder.Configuration, builder.Environment);
builder.Services.AddOrgs();
builder.Services.AddGardens();
builder.Services.AddProcessing();
builder.Services.AddCustody();
builder.Services.AddMembers();
builder.Services.AddLots();
builder.Services.AddLedgerApi();
builder.Services.AddRecalls();
builder.Services.AddResidues();
builder.Services.AddResolver();
builder.Services.AddMarket();
builder.Services.AddBackups();
builder.Services.AddPrivacy();
builder.Services.AddSingleton<MarketYear>();
builder.Services.AddSingleton<SeedHandOvers>();
builder.Services.AddSingleton<DemoSeeder>();

var app = builder.Build();

app.UseExceptionHandler(new ExceptionHandlerOptions
{
    // A client's bad JSON is answered with a 400 problem; it is not a server error worth a stack trace in the log.
    SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException,
});
app.UseTeaTraceForwardedHeaders();
app.UseStatusCodePages();
app.UseTeaTraceSecurityHeaders();
app.UseDefaultFiles();
app.UseStaticFiles(StaticPages.Options);
app.UseCors();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UseRequestLimits();
app.UseMiddleware<IdempotencyMiddleware>();

app.MapTeaTraceDocs();
app.MapHealth();
app.MapOrgs();
app.MapGardens();
app.MapProcessing();
app.MapCustody();
app.MapMembers();
app.MapLots();
app.MapLedger();
app.MapRecalls();
app.MapResidues();
app.MapResolver();
app.MapMarket();
app.MapJobsDashboard();
app.MapBackups();
app.MapPrivacy();
app.MapHarvestTags();
app.MapBatchTags();
app.MapFrontDoor();

if (await BackupSetup.RunCommandAsync(app, args) is { } exitCode)
{
    return exitCode;
}

try
{
    await app.InitializeTeaTraceAsync();
}
catch (LedgerIntegrityException refusal)
{
    app.Logger.LogCritical("TeaTrace refuses to start: {Reason}", refusal.Message);
    throw;
}

await app.RunAsync();
return 0;
