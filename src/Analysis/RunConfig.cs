using FourierRepro.Storage;

namespace FourierRepro.Analysis;

public static class RunConfig
{
    // The run's recorded configuration as its family's record (the contract's type), never read by property name.
    public static T Config<T>(this RunRecord run) where T : class => ConfigJson.Read<T>(run.ConfigJson);
}
