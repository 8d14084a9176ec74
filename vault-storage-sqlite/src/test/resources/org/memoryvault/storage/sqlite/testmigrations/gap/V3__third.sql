-- a trigger, with semicolons inside its body
CREATE TABLE two (y INTEGER);
CREATE TRIGGER one_to_two AFTER INSERT ON one BEGIN
    INSERT INTO two VALUES (new.x * 10);
    INSERT INTO two VALUES (new.x * 100);
END;
INSERT INTO one VALUES (2);
