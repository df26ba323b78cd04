namespace WebhookAdmin.Data;

/// <summary>Column and input limits, shared by the EF model and request validation so they can never disagree.</summary>
public static class Limits
{
    public const int ExternalId = 100;
    public const int Name = 200;
    public const int Email = 256;
    public const int Url = 2048;
}
