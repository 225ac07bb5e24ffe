using Xinfang.Web.Cli;

// One binary: `serve` (default), `migrate`, `seed --demo`, `calendar import FILE`. See Cli/Verbs.cs.
return await Verbs.RunAsync(args);

public partial class Program;
