using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Errors;
using TeaTrace.Api.Features.Gardens;
using TeaTrace.Api.Features.LedgerApi;
using TeaTrace.Api.Features.Lots;
using TeaTrace.Api.Features.Operations;
using TeaTrace.Api.Features.Orgs;
using TeaTrace.Api.Features.Processing;
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
builder.Services.AddSingleton<OrgStore>();
builder.Services.AddSingleton<GardenStore>();
builder.Services.AddSingleton<ProcessingStore>();
builder.Services.AddSingleton<LotStore>();
builder.Services.AddTeaTraceJobs(builder.Configuration);
builder.Services.AddSingleton<LedgerSigningKey>();
builder.Services.AddSingleton<LedgerTree>();
builder.Services.AddSingleton<LedgerAuditor>();
builder.Services.AddSingleton<CheckpointSigner>();
builder.Services.AddTransient<CheckpointJob>();
builder.Services.AddTransient<LedgerAuditJob>();
builder.Services.AddSingleton<IRecurringJobRegistration, CheckpointJob.Registration>();
builder.Services.AddSingleton<IRecurringJobRegistration, LedgerAuditJob.Registration>();
builder.Services.AddSingleton<DemoSeeder>();

var app = builder.Build();

app.UseExceptionHandler(new ExceptionHandlerOptions
{
    // A client's bad JSON is answered with a 400 problem; it is not a server error worth a stack trace in the log.
    SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException,
});
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();

app.MapTeaTraceDocs();
app.MapHealth();
app.MapOrgs();
app.MapGardens();
app.MapProcessing();
app.MapLots();
app.MapLedger();

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
