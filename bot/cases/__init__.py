"""Citizens' voice: questions, feedback, petitions, complaints and denunciations as cases."""
