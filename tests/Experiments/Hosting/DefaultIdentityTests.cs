using System.Security.Cryptography;
using System.Text;
using FourierRepro.Experiments.Hosting;

namespace FourierRepro.Tests;

// The identities of the default runs (experiment, scale, seed, configuration hash) must never change by accident: a
// changed hash makes every existing database re-run everything. The pinned digests were computed from the plans of
// commit ff80d8a, before data files of one's own were accepted (issue 13, item 4), and must stay as they were.
public sealed class DefaultIdentityTests
{
    // The experiments of ff80d8a: experiments added since have identities of their own, which this digest must not see.
    static readonly string[] PinnedExperiments =
    [
        "spectral-bias", "perturbation-robustness", "relu-spectrum-decay", "manifold-spectral-bias", "ntk-kernels",
        "ntk-convergence", "sampling-width", "image-regression", "scale-sweep", "regression-1d",
    ];

    static string PlanDigest(Scale scale)
    {
        var pinned = PinnedExperiments.Select(n => ExperimentCatalog.Find(n) ?? throw new InvalidOperationException($"experiment {n} is gone")).ToList();
        var plan = RunPlan.Build(pinned, scale, seeds: null, settings: []);
        var keys = string.Join("\n", plan.Select(r => r.IdentityKey).Order(StringComparer.Ordinal));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(keys)));
    }

    [Theory]
    [InlineData("smoke", "b28cfa4bd80a6b382e7f373a35a289f8ddbaede0d7c5b8efb9317b012381571f")]
    [InlineData("standard", "801bc6e5d16e1fd6e45febe5396b44c451668f0fdc613e09bc88f105df6fa299")]
    [InlineData("paper", "9e16e3516873d744fe245ba77253783d5eac0f3a856505f2c7d400bee8b70ac1")]
    public void The_default_plans_keep_their_run_identities(string scaleName, string expected)
    {
        Assert.True(ScaleNames.TryParse(scaleName, out var scale));
        Assert.Equal(expected, PlanDigest(scale));
    }
}
