Console.WriteLine("tickets");
