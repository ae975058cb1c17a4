namespace FourierRepro.Experiments;

public static class Program
{
    public static Task<int> Main(string[] args) => Hosting.Cli.RunAsync(args);
}
