namespace WebhookAdmin.Tests.Api;

/// <summary>The running test's cancellation token, short enough to pass to every call that takes one.</summary>
public static class Test
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;
}
