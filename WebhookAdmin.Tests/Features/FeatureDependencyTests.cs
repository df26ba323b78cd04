using System.Reflection;
using System.Reflection.Emit;
using WebhookAdmin.Features.Deliveries;

namespace WebhookAdmin.Tests.Features;

/// <summary>
/// Feature folders depend one way: Webhooks and Events call Deliveries; Deliveries calls neither back. Checked
/// on the compiled code (signatures and every method body), so a static call or a lambda counts too. Deliveries
/// may still read the rows of the webhooks and events it delivers (their entities, the event id format) and the
/// event catalog;
/// its pages, which compose features for a person, are outside the rule.
/// </summary>
public sealed class FeatureDependencyTests
{
    private static readonly HashSet<string> SharedData =
    [
        "WebhookAdmin.Features.Webhooks.Webhook",
        "WebhookAdmin.Features.Webhooks.WebhookStatus",
        "WebhookAdmin.Features.Webhooks.WebhookRevision",
        "WebhookAdmin.Features.Events.EventRecord",
        "WebhookAdmin.Features.Events.EventOrigin",
        "WebhookAdmin.Features.Events.EventIds",
        "WebhookAdmin.Features.Events.EventCatalog",
        "WebhookAdmin.Features.Events.EventType",
    ];

    [Fact]
    public void The_delivery_engine_uses_no_code_of_the_webhooks_or_events_features()
    {
        var offending = DeliveriesTypes()
            .SelectMany(type => ReferencedTypes(type).Select(used => (type, used)))
            .Where(pair => IsForbidden(pair.used))
            .Select(pair => $"{pair.type.FullName} uses {pair.used.FullName}")
            .Distinct()
            .Order()
            .ToList();
        Assert.True(offending.Count == 0, "Deliveries depends on:\n" + string.Join("\n", offending));
    }

    [Fact]
    public void No_feature_that_notifications_build_on_uses_notifications_code()
    {
        // Notifications hear about health changes through ICommitObserver and call ingestion; nothing calls them back.
        string[] below = ["WebhookAdmin.Features.Deliveries", "WebhookAdmin.Features.Webhooks", "WebhookAdmin.Features.Events", "WebhookAdmin.Features.Accounts"];
        var offending = typeof(Delivery).Assembly.GetTypes()
            .Where(t => t.Namespace is { } ns && below.Any(b => ns.StartsWith(b, StringComparison.Ordinal)))
            .SelectMany(type => ReferencedTypes(type).Select(used => (type, used)))
            .Where(pair => (pair.used.Namespace ?? "").StartsWith("WebhookAdmin.Features.Notifications", StringComparison.Ordinal))
            .Select(pair => $"{pair.type.FullName} uses {pair.used.FullName}")
            .Distinct()
            .Order()
            .ToList();
        Assert.True(offending.Count == 0, "Depends on Notifications:\n" + string.Join("\n", offending));
    }

    [Fact]
    public void The_scan_sees_a_dependency_in_a_method_body() =>
        // The test above is only as good as its scanner: this type of the tests calls a Webhooks static in a body.
        Assert.Contains(ReferencedTypes(typeof(CallsWebhooksInABody)), t => t.FullName == "WebhookAdmin.Features.Webhooks.WebhookResponse");

    private static class CallsWebhooksInABody
    {
        public static string Name() => WebhookAdmin.Features.Webhooks.WebhookResponse.StatusName(WebhookAdmin.Features.Webhooks.WebhookStatus.Healthy);
    }

    private static bool IsForbidden(Type used)
    {
        var name = used.FullName ?? used.Name;
        if (SharedData.Contains(name)) return false;
        return name.StartsWith("WebhookAdmin.Features.Webhooks.", StringComparison.Ordinal)
               || name.StartsWith("WebhookAdmin.Features.Events.", StringComparison.Ordinal);
    }

    private static IEnumerable<Type> DeliveriesTypes() =>
        typeof(Delivery).Assembly.GetTypes().Where(t =>
            t.Namespace is { } ns && ns.StartsWith("WebhookAdmin.Features.Deliveries", StringComparison.Ordinal) &&
            !ns.StartsWith("WebhookAdmin.Features.Deliveries.Pages", StringComparison.Ordinal));

    /// <summary>Types in the signatures of <paramref name="type"/> and in the IL of its method bodies.</summary>
    private static IEnumerable<Type> ReferencedTypes(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var found = new HashSet<Type>();
        void Add(Type? t)
        {
            if (t is null) return;
            if (t.HasElementType)
            {
                Add(t.GetElementType());
                return;
            }
            if (t.IsGenericType) foreach (var argument in t.GetGenericArguments()) Add(argument);
            if (!t.IsGenericParameter) found.Add(t.IsGenericType ? t.GetGenericTypeDefinition() : t);
        }

        Add(type.BaseType);
        foreach (var i in type.GetInterfaces()) Add(i);
        foreach (var field in type.GetFields(all)) Add(field.FieldType);
        foreach (var property in type.GetProperties(all)) Add(property.PropertyType);
        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            if (method is MethodInfo m) Add(m.ReturnType);
            foreach (var parameter in method.GetParameters()) Add(parameter.ParameterType);
            foreach (var used in BodyReferences(method)) Add(used);
        }
        return found;
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>Declaring types of every member or type a method's IL names (calls, fields, casts, new objects).</summary>
    private static IEnumerable<Type> BodyReferences(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null) yield break;
        var module = method.Module;
        var typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var at = 0; at < il.Length;)
        {
            var code = il[at] == 0xFE ? OpCodesByValue[(short)(0xFE00 | il[at + 1])] : OpCodesByValue[il[at]];
            at += code.Size;
            var operandSize = code.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
                _ => 4,
            };
            if (code.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
            {
                var token = BitConverter.ToInt32(il, at);
                MemberInfo? member = null;
                try { member = module.ResolveMember(token, typeArgs, methodArgs); }
                catch (ArgumentException) { }
                if (member is Type t) yield return t;
                else if (member?.DeclaringType is { } declaring) yield return declaring;
            }
            at += operandSize;
        }
    }
}
