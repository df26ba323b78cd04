using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace WebhookAdmin.Hosting.Api;

/// <summary>Titles the OpenAPI document and declares the bearer token scheme so the reference page can send it.</summary>
public sealed class ApiDocument : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "WebhookAdmin API",
            Version = "v1",
            Description = "Granular webhooks: publish events, manage webhooks, inspect every delivery. " +
                          "Authenticate with 'Authorization: Bearer wha_…'.",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API token (wha_…).",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] });
        return Task.CompletedTask;
    }
}
