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
builder.Services.AddSingleton<LedgerAuditor>();
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

await app.InitializeTeaTraceAsync();
await app.RunAsync();
