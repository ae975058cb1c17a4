using System.Text.Json;
using System.Text.Json.Serialization;

namespace FourierRepro.Contracts;

// A setting the user gave that the configuration does not accept. Key: the setting the problem is about, as the
// caller spelled it, when there is one (so that a host can name the full configuration key it came from).
public sealed class ConfigException(string message, string? key = null) : Exception(message)
{
    public string? Key { get; } = key;
}

// The one JSON form of a configuration record: written with every run (runs.config_json) by the experiments,
// read back as the same record by the analysis. Enums are written by name.
public static class ConfigJson
{
    public static readonly JsonSerializerOptions Options = new() { Converters = { new JsonStringEnumConverter() } };

    // A setting missing from an older run's JSON takes the record's default, as when the run was made.
    public static T Read<T>(string json) where T : class =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"empty {typeof(T).Name} configuration");
}
