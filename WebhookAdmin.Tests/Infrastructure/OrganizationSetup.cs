namespace WebhookAdmin.Tests.Infrastructure;

/// <summary>Builds an organization through the public API: companies, projects, members, tokens.</summary>
public static class OrganizationSetup
{
    public static async Task CompanyAsync(this HttpClient admin, string id, string name) =>
        await admin.PutOk($"/api/v1/companies/{id}", new { name });

    public static async Task ProjectAsync(this HttpClient admin, string id, string companyId, string? name = null) =>
        await admin.PutOk($"/api/v1/projects/{id}", new { companyId, name = name ?? id });

    public static async Task MemberAsync(this HttpClient admin, string projectId, string email, string role = "member") =>
        await admin.PutOk($"/api/v1/projects/{projectId}/members/{email}", new { role });

    /// <summary>Creates a user (if needed) and a token for them with the given scopes.</summary>
    public static async Task<string> TokenForAsync(this HttpClient admin, string email, params string[] scopes)
    {
        using var _ = await admin.PostAsync("/api/v1/users", System.Net.Http.Json.JsonContent.Create(new { email }));
        var created = await admin.PostOk($"/api/v1/users/{email}/tokens", new { name = "test", scopes }, System.Net.HttpStatusCode.Created);
        return created.Str("token");
    }
}
