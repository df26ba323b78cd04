namespace WebhookAdmin.Data;

/// <summary>Where the database is: <c>ConnectionStrings:Default</c>, else <c>webhookadmin.db</c> beside the app.</summary>
public static class DatabaseConnection
{
    public static string String(IConfiguration configuration) =>
        configuration.GetConnectionString("Default") ?? "Data Source=webhookadmin.db";
}
