using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using TeaTrace.Api.Auth;

namespace TeaTrace.Api.Features.Operations;

/// <summary>/openapi/v1.json with every endpoint's roles and errors, and interactive docs at /docs (no fonts or scripts from other hosts).</summary>
internal static class OpenApiSetup
{
    private const string SchemeId = "ApiKey";

    public static IServiceCollection AddTeaTraceOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "TeaTrace",
                    Version = "v1",
                    Description = "Traceability for Yingde black tea (英德红茶): gardens, harvests, processing batches, sales lots and a verifiable ledger. "
                        + "Send API keys as 'Authorization: Bearer <key>'. Errors are RFC 9457 problem details; a request that fails writes nothing.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[SchemeId] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "An API key issued by POST /api/orgs/{orgId}/keys, sent as a bearer token.",
                };
                return Task.CompletedTask;
            });

            options.AddOperationTransformer((operation, context, _) =>
            {
                var access = context.Description.ActionDescriptor.EndpointMetadata.OfType<AccessMetadata>().LastOrDefault();
                if (access is null)
                {
                    return Task.CompletedTask;
                }

                if (context.Description.HttpMethod == "POST")
                {
                    operation.Parameters ??= [];
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = "Idempotency-Key",
                        In = ParameterLocation.Header,
                        Required = false,
                        Description = "Send the same key when retrying: the same key with the same request returns the first response (header Idempotent-Replayed: true) and writes nothing; with a different request it is 422. Keys are kept 24 hours.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 255 },
                    });
                    operation.Responses ??= [];
                    operation.Responses.TryAdd("413", new OpenApiResponse { Description = "The request body is larger than the service accepts (problem details)." });
                }

                var who = access.IsPublic ? access.Who : $"Roles: {access.Who}.";
                operation.Description = string.IsNullOrEmpty(operation.Description) ? who : $"{who}\n\n{operation.Description}";
                if (!access.IsPublic)
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement
                    {
                        [new OpenApiSecuritySchemeReference(SchemeId, context.Document)] = [],
                    });
                    operation.Responses ??= [];
                    operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No key, an unknown key or a revoked key (problem details)." });
                    operation.Responses.TryAdd("403", new OpenApiResponse { Description = "The key's role or organisation may not do this (problem details)." });
                }

                return Task.CompletedTask;
            });
        });

    public static WebApplication MapTeaTraceDocs(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference("/docs", options => options
            .WithTitle("TeaTrace API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .AddHeadContent("<meta name=\"description\" content=\"The TeaTrace API for Yingde black tea traceability: gardens, harvests, processing batches, lots, the Digital Link resolver, market figures and the verifiable ledger, with every endpoint's roles and errors.\">")
            .DisableDefaultFonts())
            .AllowAnonymous();
        return app;
    }
}
