using FourierRepro.Experiments.Core;

namespace FourierRepro.Experiments.NtkConditioning;

// The input mapping a name of PowerMappingNames stands for.
public static class PowerMappings
{
    public static InputMapping Create(string name, int frequencies)
    {
        if (name == PowerMappingNames.None) return InputMapping.None(1, offset: 0.5);
        if (PowerMappingNames.TryParsePower(name, out var p)) return InputMapping.PowerLaw1D(frequencies, p);
        throw new ConfigException($"unknown mapping '{name}' (known: {PowerMappingNames.None}, p=<power ≥ 0>, {PowerMappingNames.Infinity})");
    }
}
