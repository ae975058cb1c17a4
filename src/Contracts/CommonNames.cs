namespace FourierRepro.Contracts;

// Recorded names that several families use with the same meaning, written once; each family's contract refers to
// these (its own comment gives the shape for that family).
public static class CommonNames
{
    public const string Loss = "loss";                              // metric series: the training loss before each update
    public const string X = "x";                                    // the input grid of a 1D problem
    public const string Target = "target";                          // the training target
    public const string Phases = "phases";                          // [K] φ_i of a phased sine sum
    public const string Frequencies = "frequencies";                // [K] k_i
    public const string Prediction = "prediction";                  // the network's output
    public const string Spectrum = "spectrum";                      // one-sided |DFT| of the network's output
    public const string RecordSteps = "record_steps";               // [F] iteration of each recorded frame
    public const string NormalizedAmplitude = "normalized_amplitude"; // 2|f̃(k_i)|/A_i (or relative to a reference)
}
