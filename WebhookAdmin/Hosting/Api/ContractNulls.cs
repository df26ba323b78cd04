using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace WebhookAdmin.Hosting.Api;

/// <summary>
/// Holds every JSON body to the nullability its C# contract declares. System.Text.Json reads <c>"events": [null]</c>
/// into a <c>string[]</c> although the contract says its entries are never null, and the code that trusted the type
/// answered 500. One rule for every route, before any handler runs: a null where the contract's type allows none (a
/// list entry, a batch entry, a property without <c>?</c>) is a 400 naming it, <c>events[0]</c>, <c>[3]</c>,
/// <c>[1].projectId</c>, as System.Text.Json names its own errors. Text holding a NUL character is refused the same
/// way (<see cref="NulCharacters"/>).
/// </summary>
public static class ContractNulls
{
    public static RouteGroupBuilder RejectNullsTheContractForbids(this RouteGroupBuilder group)
    {
        group.AddEndpointFilterFactory(Filter);
        return group;
    }

    private static EndpointFilterDelegate Filter(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var parameters = context.MethodInfo.GetParameters();
        var declared = parameters.Select(p => new NullabilityInfoContext().Create(p)).ToArray();
        var finder = new NullFinder(context.ApplicationServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions);
        return async invocation =>
        {
            // The endpoint's metadata names the body's type only once it is built, so it is read here, not in the factory.
            var bodyType = invocation.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
            var body = bodyType is null ? -1 : Array.FindIndex(parameters, p => p.ParameterType == bodyType);
            if (body >= 0 && finder.Find(invocation.Arguments[body], declared[body]) is { Count: > 0 } errors)
                return ApiProblems.Validation(errors);
            return await next(invocation);
        };
    }

    private sealed class NullFinder(JsonSerializerOptions json)
    {
        // NullabilityInfoContext is not thread-safe; each property's answer is computed once and kept.
        private static readonly ConcurrentDictionary<PropertyInfo, NullabilityInfo> Properties = new();

        public Dictionary<string, string[]> Find(object? value, NullabilityInfo declared)
        {
            var errors = new Dictionary<string, string[]>();
            Visit(value, declared, "", errors);
            return errors;
        }

        private void Visit(object? value, NullabilityInfo? declared, string path, Dictionary<string, string[]> errors)
        {
            if (value is null)
            {
                if (declared?.ReadState == NullabilityState.NotNull)
                    errors[path.Length == 0 ? "body" : path] = [Message(path, declared.Type)];
                return;
            }
            if (value is string text)
            {
                if (text.Contains('\0', StringComparison.Ordinal))
                    errors[path.Length == 0 ? "body" : path] = [$"'{(path.Length == 0 ? "body" : path)}' {NulCharacters.Message}."];
                return;
            }
            var type = json.GetTypeInfo(value.GetType());
            if (type.Kind == JsonTypeInfoKind.Object)
            {
                foreach (var property in type.Properties)
                    if (property is { Get: { } get, AttributeProvider: PropertyInfo info })
                        Visit(get(value), Properties.GetOrAdd(info, static p => new NullabilityInfoContext().Create(p)),
                            path.Length == 0 ? property.Name : $"{path}.{property.Name}", errors);
            }
            else if (type.Kind == JsonTypeInfoKind.Enumerable && value is IEnumerable items)
            {
                // Unknown element nullability (no annotations) lets nulls through rather than refusing what may be allowed.
                var element = declared?.ElementType ?? declared?.GenericTypeArguments.FirstOrDefault();
                var index = 0;
                foreach (var item in items)
                    Visit(item, element, $"{path}[{index++}]", errors);
            }
        }

        private static string Message(string path, Type type)
        {
            var expected = Type.GetTypeCode(Nullable.GetUnderlyingType(type) ?? type) switch
            {
                TypeCode.String => "text",
                TypeCode.Boolean => "true or false",
                >= TypeCode.SByte and <= TypeCode.Decimal => "a number",
                _ when typeof(IEnumerable).IsAssignableFrom(type) => "a list",
                _ => "an object",
            };
            return path.EndsWith(']')
                ? $"'{path}' is null; each entry must be {expected}."
                : $"'{(path.Length == 0 ? "body" : path)}' must be {expected}, not null.";
        }
    }
}
