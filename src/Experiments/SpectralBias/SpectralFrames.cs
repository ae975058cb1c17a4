using FourierRepro.Experiments.Core;

namespace FourierRepro.Experiments.SpectralBias;

// The recorded frames of one run: the prediction on the training grid, its one-sided spectrum, and the
// normalized amplitude 2|f̃(k_i)|/A_i at the target frequencies (PAPERS.md section A, compute_spectra).
public sealed class SpectralFrames(int[] frequencies, double[] amplitudes, int points)
{
    readonly List<int> steps = [];
    readonly List<double[]> predictions = [];
    readonly List<double[]> spectra = [];
    readonly List<double[]> normalized = [];

    public IReadOnlyList<double[]> Normalized => normalized;

    public void Add(int iteration, double[] prediction)
    {
        var spectrum = Spectrum.OneSidedMagnitude(prediction);
        steps.Add(iteration);
        predictions.Add(prediction);
        spectra.Add(spectrum);
        normalized.Add(Spectrum.NormalizedAmplitudes(spectrum, frequencies, amplitudes));
    }

    // Arrays: record_steps [F], normalized_amplitude [F, K], spectrum [F, N/2], prediction [F, N].
    public void Record(IRunRecorder recorder)
    {
        int f = steps.Count;
        recorder.Array(SpectralBiasContract.RecordSteps, 0, [f], steps.Select(s => (double)s).ToArray());
        recorder.Array(SpectralBiasContract.Frequencies, 0, [frequencies.Length], frequencies.Select(k => (double)k).ToArray());
        recorder.Array(SpectralBiasContract.Amplitudes, 0, [amplitudes.Length], amplitudes);
        recorder.Array(SpectralBiasContract.NormalizedAmplitude, 0, [f, frequencies.Length], Flatten(normalized));
        recorder.Array(SpectralBiasContract.Spectrum, 0, [f, points / 2], Flatten(spectra).Select(v => (float)v).ToArray());
        recorder.Array(SpectralBiasContract.Prediction, 0, [f, points], Flatten(predictions).Select(v => (float)v).ToArray());
    }

    static double[] Flatten(List<double[]> rows) => rows.SelectMany(r => r).ToArray();
}
