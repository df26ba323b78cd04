namespace WebhookAdmin.Features.Deliveries;

/// <summary>
/// The <c>Instance</c> configuration section: which running copy of the app this is, recorded on every attempt it
/// makes (<c>attemptLog[].instance</c>) so that with several instances on one database a person can tell who sent what.
/// </summary>
public sealed class InstanceOptions
{
    public const string Section = "Instance";
    public const int MaxName = 100;

    /// <summary>Default: the host name and the process id (<c>web-1:4242</c>), unique on one machine at a time.</summary>
    public string Name { get; set; } = DefaultName();

    public static string DefaultName()
    {
        var host = Environment.MachineName;
        var name = $"{host}:{Environment.ProcessId}";
        return name.Length <= MaxName ? name : $"{host[..(MaxName - 12)]}:{Environment.ProcessId}";
    }
}
