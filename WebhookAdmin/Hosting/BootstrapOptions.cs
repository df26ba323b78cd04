namespace WebhookAdmin.Hosting;

/// <summary>The <c>Bootstrap</c> section: what an empty database starts with.</summary>
public sealed class BootstrapOptions
{
    public const string Section = "Bootstrap";

    public string? AdminEmail { get; set; }
    public string? AdminPassword { get; set; }

    /// <summary>Registered verbatim as an every-scope token of the bootstrap admin (automation, CI). Must start with <c>wha_</c>.</summary>
    public string? ApiToken { get; set; }

    public bool DemoData { get; set; }
}
