using System.Text.Json.Serialization;
using TeaTrace.Api.Common;

namespace TeaTrace.Api.Errors;

internal static class ErrorSetup
{
    public static IServiceCollection AddTeaTraceErrors(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // Every problem says which request it answers, so a farmer's report can be found in the logs.
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Extensions.TryAdd("traceId", context.HttpContext.TraceIdentifier);
            if (context.ProblemDetails is HttpValidationProblemDetails validation)
            {
                CamelCaseErrorKeys(validation.Errors);
            }

            ProblemLanguage.Apply(context.HttpContext, context.ProblemDetails);
        });
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddValidation();
        // Bad JSON becomes an exception in every environment, so the handler above can say what was wrong.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(new Rfc3339Converter());
            options.SerializerOptions.Converters.Add(new BusinessDateConverter());
            options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            options.SerializerOptions.AllowTrailingCommas = false;
        });
        return services;
    }

    /// <summary>Validation names members as C# does (Inputs[0].Kg); clients see JSON names (inputs[0].kg).</summary>
    private static void CamelCaseErrorKeys(IDictionary<string, string[]> errors)
    {
        foreach (var key in errors.Keys.ToList())
        {
            var camel = string.Join('.', key.Split('.').Select(part => part.Length > 0 && char.IsUpper(part[0]) ? char.ToLowerInvariant(part[0]) + part[1..] : part));
            if (camel != key)
            {
                var messages = errors[key];
                errors.Remove(key);
                errors[camel] = errors.TryGetValue(camel, out var existing) ? [.. existing, .. messages] : messages;
            }
        }
    }
}
