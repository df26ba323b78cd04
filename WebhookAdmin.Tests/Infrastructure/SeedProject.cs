namespace WebhookAdmin.Tests.Infrastructure;

/// <summary>The company and project a world starts with; the administrator is an admin member of the project.</summary>
public sealed record SeedProject(string CompanyId, string CompanyName, string ProjectId, string ProjectName)
{
    /// <summary>What engine tests need: something to publish to.</summary>
    public static SeedProject Small { get; } = new("acme", "Acme", DeliveryWorld.ProjectId, "Website");

    /// <summary>Names a person would type, for the pages (and the screenshots taken of them).</summary>
    public static SeedProject Website { get; } = new("acme", "Acme Corp", "acme-web", "Website relaunch");
}
