using System.Numerics;
using MathNet.Numerics.IntegralTransforms;

namespace FourierRepro.Experiments.Core;

public static class Spectrum
{
    // The reference code's spectrum (Rahaman, `fft`): |DFT(y)| / n over the first n/2 bins. Bin k is k cycles
    // over the sampled interval; a pure sinusoid of amplitude A shows up as A/2 at its bin.
    public static double[] OneSidedMagnitude(ReadOnlySpan<double> y)
    {
        int n = y.Length;
        var buffer = new Complex[n];
        for (int i = 0; i < n; i++) buffer[i] = y[i];
        Fourier.Forward(buffer, FourierOptions.AsymmetricScaling); // no scaling on the forward transform, as numpy
        var result = new double[n / 2];
        for (int k = 0; k < result.Length; k++) result[k] = buffer[k].Magnitude / n;
        return result;
    }

    // 2|f̃(k_i)| / A_i: 1 when the component at k_i has been fitted with the target's amplitude.
    public static double[] NormalizedAmplitudes(ReadOnlySpan<double> oneSided, ReadOnlySpan<int> frequencies, ReadOnlySpan<double> amplitudes)
    {
        var r = new double[frequencies.Length];
        for (int i = 0; i < r.Length; i++) r[i] = 2 * oneSided[frequencies[i]] / amplitudes[i];
        return r;
    }
}
