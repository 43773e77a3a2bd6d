Console.Error.WriteLine("usage: speechserve-export <command> (commands arrive with the exporter)");
return 2;
