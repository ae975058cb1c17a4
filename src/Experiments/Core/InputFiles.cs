using System.Security.Cryptography;

namespace FourierRepro.Experiments.Core;

public sealed class InputFileException(string message, Exception? inner = null) : Exception(message, inner);

// Data files of one's own (a photograph, a signal): read once as bytes, so that what is decoded is exactly what was
// hashed for the run's identity.
public static class InputFiles
{
    public static byte[] Read(string path)
    {
        if (!File.Exists(path)) throw new InputFileException($"file not found: {path}");
        try { return File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new InputFileException($"cannot read {path}: {e.Message}", e); }
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
