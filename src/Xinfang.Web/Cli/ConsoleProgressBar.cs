namespace Xinfang.Web.Cli;

/// <summary>A one-line progress bar on the console (redrawn with a carriage return; plain lines when output is redirected).</summary>
public sealed class ConsoleProgressBar(string label, int width = 40) : IProgress<(long Done, long Total)>
{
    int _lastPercent = -1;

    public void Report((long Done, long Total) value)
    {
        var percent = value.Total == 0 ? 100 : (int)(100 * value.Done / value.Total);
        if (percent == _lastPercent) return;
        _lastPercent = percent;
        var filled = width * percent / 100;
        var line = $"{label} [{new string('#', filled)}{new string('.', width - filled)}] {percent,3}% {value.Done}/{value.Total}";
        if (Console.IsOutputRedirected) Console.WriteLine(line);
        else Console.Write("\r" + line);
    }

    public void Finish()
    {
        if (!Console.IsOutputRedirected) Console.WriteLine();
    }
}
