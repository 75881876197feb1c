// vega-lite: the server (atticd's flags and modes) and the admin tool (atticadm make-token) in one binary.
return await Vega.Lite.Cli.Entry.RunAsync(args);
