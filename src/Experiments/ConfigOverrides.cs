using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace FourierRepro.Experiments;

public static class ConfigOverrides
{
    static JsonSerializerOptions Options => ConfigJson.Options;

    // Applies "Key=value" overrides to a record, nanoGPT-style: the key must exist and the value must parse as
    // the existing value's JSON type (number, boolean, string, or array "1,2,3").
    public static T Apply<T>(T defaults, IReadOnlyDictionary<string, string> overrides, string owner) where T : class
    {
        if (overrides.Count == 0) return defaults;
        var node = JsonSerializer.SerializeToNode(defaults, Options)!.AsObject();
        // An optional string setting that is null is left out of the JSON (so that adding one, e.g. a data file of one's
        // own, keeps every existing configuration hash): it is still a known setting, and takes the text as it is.
        var optional = Options.GetTypeInfo(typeof(T)).Properties
            .Where(p => p.PropertyType == typeof(string) && !node.ContainsKey(p.Name)).Select(p => p.Name).ToList();
        var known = node.Select(p => p.Key).Concat(optional).ToList();
        foreach (var (key, text) in overrides)
        {
            var name = known.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase))
                ?? throw new ConfigException($"{owner}: unknown setting '{key}' (known: {string.Join(", ", known)})", key);
            try { node[name] = optional.Contains(name) ? JsonValue.Create(text) : ParseLike(node[name], text, $"{owner}.{name}"); }
            catch (ConfigException e) { throw new ConfigException(e.Message, key); }
        }
        try
        {
            return node.Deserialize<T>(Options) ?? throw new ConfigException($"{owner}: overrides produced an empty configuration");
        }
        catch (JsonException e)
        {
            var property = e.Path?.Split('.', '[').ElementAtOrDefault(1); // "$.Iterations" or "$.Frequencies[1]"
            throw new ConfigException($"{owner}: {e.Message}", overrides.Keys.FirstOrDefault(k => string.Equals(k, property, StringComparison.OrdinalIgnoreCase)));
        }
    }

    static JsonNode? ParseLike(JsonNode? existing, string text, string what)
    {
        switch (existing?.GetValueKind())
        {
            case JsonValueKind.Number:
                // An integer-looking value stays an integer; the deserializer then rejects 0.5 for an int setting.
                if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) return JsonValue.Create(l);
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) return JsonValue.Create(d);
                throw new ConfigException($"{what}: '{text}' is not a number");
            case JsonValueKind.True or JsonValueKind.False:
                if (!bool.TryParse(text, out var b)) throw new ConfigException($"{what}: '{text}' is not true or false");
                return JsonValue.Create(b);
            case JsonValueKind.String:
                return JsonValue.Create(text);
            case JsonValueKind.Array:
                var element = existing.AsArray().FirstOrDefault();
                var items = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                return new JsonArray(items.Select(i => element is null ? JsonValue.Create(i) : ParseLike(element, i, what)).ToArray());
            default:
                throw new ConfigException($"{what}: cannot be overridden from text");
        }
    }

    // Canonical JSON: keys sorted ordinally at every level, no whitespace, numbers in shortest round-trip form.
    public static string CanonicalJson(object config)
    {
        var node = JsonSerializer.SerializeToNode(config, config.GetType(), Options);
        return Canonicalize(node)?.ToJsonString() ?? "null";
    }

    static JsonNode? Canonicalize(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Canonicalize(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Canonicalize).ToArray()),
        null => null,
        _ => node.DeepClone(),
    };

    public static string Hash(string canonicalJson) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalJson)));
}
