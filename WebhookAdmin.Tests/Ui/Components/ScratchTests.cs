using Bunit;
using WebhookAdmin.Components.Layout;
using WebhookAdmin.Tests.Ui.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Components;

public sealed class ScratchTests
{
    [Fact]
    public async Task Dump()
    {
        await using var ctx = new MudTestContext();
        var auth = ctx.AddAuthorization();
        auth.SetAuthorized("x@y.z");
        auth.SetClaims(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, "u1"));
        var (pop, cut) = ctx.RenderWithPopovers<UserMenu>();
        File.WriteAllText("/tmp/ui/dump.html", cut.Markup + "\n-----\n" + pop.Markup); await Task.CompletedTask;
    }
}
