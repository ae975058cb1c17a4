namespace FourierRepro.Contracts;

// Whether a larger or a smaller value of a metric is better (metric_definitions.goal).
public static class MetricGoal
{
    public const string Minimize = "minimize";
    public const string Maximize = "maximize";
    public const string None = "none";
}

public sealed record MetricInfo(string Name, string Goal, string Unit, string Description);
